"""What the extension does at each stage of a build (connected by :func:`infraclusters.book.setup`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import bundle, caching, config, numbering
from .caching import build_finished, finish_reading, outdated_docs, start_reading  # noqa: F401 - connected by setup


def write_case_pages(app, sphinx_config) -> None:
    """One page per cluster from the case template, before the table of contents is read."""
    from .pages import TEMPLATE, write_pages

    book = config.from_app(app)
    if (book.root / TEMPLATE).is_file() and (book.data_dir / "clusters.csv").is_file():
        write_pages(book.compendium(), book.root)


def refuse_active_translations(app, sphinx_config) -> None:
    """A catalogue of this edition is text: the build stops, naming each message, where a translation would add
    markup its message lacks (HTML, a link, math, a substitution, a fence or directive, a placeholder), whether or
    not ``translations --lint`` was run. (English builds read no catalogue.)"""
    from sphinx.errors import ExtensionError

    from .translations import active_translations

    book = config.from_app(app)
    if book.edition.is_english:
        return
    problems = active_translations([Path(app.confdir, folder) for folder in sphinx_config.locale_dirs], book.language)
    if problems:
        raise ExtensionError(
            "translations that would not stay text (fix them, then python -m infraclusters translations --lint):\n  "
            + "\n  ".join(problems)
        )


def prepare_build(app, sphinx_config) -> None:
    """Hand the build over to the kernels, refresh the execution cache, write the Vega bundle, assets and downloads."""
    from .. import figures
    from . import ACCESSIBILITY_SCRIPT, STATIC, STYLESHEET

    book = config.from_app(app)
    handover = book.handover().environ()
    app.infraclusters_environ_before = {name: os.environ.get(name) for name in handover}
    os.environ.update(handover)  # inherited by the kernels that execute the chapters; undone when the build ends
    caching.plan(app, sphinx_config, book)
    static = book.build_dir / f"infraclusters-static{book.suffix}"
    key = caching.fingerprint(Path(bundle.__file__)) + str(bundle.bundled_versions())
    caching.write_if_changed(
        static, key, lambda d: (d / bundle.BUNDLE_NAME).write_text(bundle.build_bundle(), encoding="utf-8")
    )
    for asset in (STYLESHEET, ACCESSIBILITY_SCRIPT):
        shutil.copyfile(STATIC / asset, static / asset)
    extra = book.extra_dir
    if book.exports:  # catalogue extraction and tests of the build's error paths need no downloads
        numbers = numbering.figure_numbers(book.root)  # "Figure 2.1" in the downloads' citations
        key = caching.fingerprint(*caching.inputs(book)) + book.figures_prefix + repr(sorted(numbers.items()))

        def export(folder: Path) -> None:
            c = book.compendium()
            only = (
                [i for i in figures.figure_ids(c) if i.startswith(book.figures_prefix)] if book.figures_prefix else None
            )
            figures.export_all(folder / "figures", c, book.edition, only=only, numbers=numbers)

        caching.write_if_changed(extra, key, export)
    extra.mkdir(parents=True, exist_ok=True)
    sphinx_config.html_static_path.append(str(static))
    sphinx_config.html_extra_path.append(str(extra))


def restore_environ(app, exception) -> None:
    """The build's hand-over leaves the process with the build: a later build, kernel or test in the same
    process starts from the environment it had before (connected last at ``build-finished``)."""
    for name, value in getattr(app, "infraclusters_environ_before", {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def keep_config_on_env(app) -> None:
    """The configuration travels with the (pickled) build environment, where directives and roles read it."""
    app.env.infraclusters_config = config.from_app(app)


APPENDIX = numbering.APPENDIX  # figures of the unnumbered appendices: A.1, A.2 …, not 1, 2 … beside 1.1, 1.2


def number_appendix_figures(app, env) -> list[str]:
    """After Sphinx numbers the figures: those of pages without a section number get the appendix letter,
    when other pages are numbered (a book of numbered chapters and unnumbered appendices)."""
    if not any(numbers for numbers in env.toc_secnumbers.values()):
        return []
    for numbers in env.toc_fignumbers.values():
        for by_id in numbers.values():
            for figure_id, number in list(by_id.items()):
                if len(number) == 1:
                    by_id[figure_id] = (APPENDIX, *number)
    return []


def prepare_search(app, sphinx_config) -> None:
    """The glossary as jieba's user dictionary, written for this build and handed to the search (see :mod:`.search`)."""
    from . import search

    book = config.from_app(app)
    path = book.build_dir / f"infraclusters-search{book.suffix}" / search.DICTIONARY
    search.write_dictionary(search.glossary_terms(book), path)
    sphinx_config.html_search_options = search.options(sphinx_config.html_search_options, path)


#: The search box's words in the Chinese edition.
SEARCH_ZH = "搜索本书……"
#: What a folded box (the re-run box, a hidden cell) says it does when clicked, in the Chinese edition.
TOGGLE_HINTS_ZH = {"togglebutton_hint": "点击展开", "togglebutton_hint_hide": "点击收起"}


def chinese_interface(app, sphinx_config) -> None:
    """The theme's and extensions' own words in the Chinese edition: Jupyter Book sets the search box's
    ("Search this book...") and sphinx-togglebutton its hints ("Click to show") in English."""
    if not str(sphinx_config.language or "").startswith("zh"):
        return
    sphinx_config.html_theme_options = {**(sphinx_config.html_theme_options or {}), "search_bar_text": SEARCH_ZH}
    for name, words in TOGGLE_HINTS_ZH.items():
        if name in sphinx_config:
            setattr(sphinx_config, name, words)
