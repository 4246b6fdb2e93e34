"""Sphinx extension: offline Vega, figure downloads and the ``{infra-figure}`` directive.

At ``config-inited`` it writes, under ``_build/``:

* ``infraclusters-static/infraclusters-vega.js``: the Vega bundle from
  :mod:`infraclusters.bundle`, added to every page as a plain (blocking) script
  so it is defined before any chart's inline script runs;
* ``infraclusters-extra/figures/``: every figure's PNG, SVG, Vega-Lite JSON,
  CSV and citation, from :func:`infraclusters.figures.export_all`, copied to
  the site root as ``figures/``.

Both are rebuilt only when their inputs change (package sources, data,
bibliography), so a no-change rebuild costs nothing here. The same change
empties the notebook execution cache, which otherwise would not notice it.

``{infra-figure} fig-id`` pastes the chart the chapter glued under ``fig-id``
as a numbered figure whose label, caption, sources and alt text come from the
figure registry, followed by the download links and a text description.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from myst_nb.ext.glue.directives import PasteFigureDirective
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.i18n import docname_to_domain as _sphinx_text_domain

from . import bundle, charts, figures, i18n, paths
from .i18n import N_, _

SKIP_EXPORTS_ENV = "INFRACLUSTERS_SKIP_EXPORTS"
ACCESSIBILITY_SCRIPT = "infraclusters-a11y.js"
#: Two repairs to markup that the theme and the bibliography extension emit (axe-core flags both):
#: aria-labels that hide a control's visible text, and citation lists without list items.
ACCESSIBILITY_JS = """\
(function () {
  function repair() {
    // Decorative icons inside labelled buttons (the theme's colour-mode switch) must not
    // compete with the button's own name.
    document.querySelectorAll("button[aria-label] svg").forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
    });
    // An aria-label that does not contain the visible text hides that text from speech input
    // (WCAG 2.5.3): where an element shows text, let that text be its name.
    document.querySelectorAll("a[aria-label], button[aria-label], summary[aria-label]").forEach(function (element) {
      var visible = (element.innerText || "").replace(/\\s+/g, " ").trim();
      var label = element.getAttribute("aria-label");
      if (visible && label.toLowerCase().indexOf(visible.toLowerCase()) === -1) {
        element.removeAttribute("aria-label");
      }
    });
    document.querySelectorAll('.citation-list[role="list"] > *').forEach(function (item) {
      item.setAttribute("role", "listitem");
    });
  }
  document.addEventListener("DOMContentLoaded", repair);
  window.addEventListener("load", repair);  // icons the theme turns into SVG after the DOM is ready
})();
"""
STYLESHEET = "infraclusters.css"
CSS = """\
figure.infra-figure .cell_output, figure.infra-figure .output { overflow-x: auto; }
p.infra-figure-downloads { font-size: 0.9em; margin: 0.4em 0 0.2em; }
p.infra-edition-switch { float: right; margin: 0 0 0.5em 1em; font-size: 0.95em; }
html[lang^="zh"] .infra-claim { font-size: 0.85em; margin: 0 0.2em; }
details.infra-figure-alt { font-size: 0.9em; }
img.infra-thumb { max-width: 100%; border: 1px solid #ddd; }
/* The theme's colour-mode switch names itself with icon titles that axe-core reads as a label
   mismatch (WCAG 2.5.3); the book follows the reader's system colour scheme instead. */
.theme-switch-button { display: none !important; }
"""
DOWNLOADS = (
    ("png", N_("PNG (2×)")),
    ("svg", "SVG"),
    ("vl.json", "Vega-Lite JSON"),
    ("csv", N_("CSV data")),
    ("txt", N_("Cite (text)")),
    ("bib", N_("Cite (BibTeX)")),
)


def _fingerprint(*roots: Path) -> str:
    digest = hashlib.sha256()
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".mo":  # .mo: compiled by the build itself
                continue
            digest.update(str(path.relative_to(root if root.is_dir() else root.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _write_if_changed(target: Path, key: str, produce) -> None:
    stamp = target.with_name(target.name + ".sha256")  # beside, not inside: the folder is copied to the site
    if stamp.is_file() and stamp.read_text() == key:
        return
    target.mkdir(parents=True, exist_ok=True)
    produce(target)
    stamp.write_text(key)


def _invalidate_stale_execution_cache(app, config) -> None:
    """Empty the jupyter-cache when the package, data or bibliography changed.

    jupyter-cache keys a chapter on its own code cells only, so an edit to a
    data table or to the package would otherwise leave stale outputs in the
    book. Every chapter depends on both, so any such change re-executes all;
    an edit to one chapter's code still re-executes only that chapter.
    """
    cache = Path(config.nb_execution_cache_path or Path(app.doctreedir).parent / ".jupyter_cache")
    if not cache.is_absolute():
        cache = Path(app.confdir) / cache
    config.nb_execution_cache_path = str(cache)
    key = _fingerprint(*_inputs(config))
    stamp = cache / "infraclusters-inputs.sha256"
    if cache.exists() and not (stamp.is_file() and stamp.read_text() == key):
        shutil.rmtree(cache)
        app.infraclusters_inputs_changed = True  # see _outdated_docs
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key)


def _inputs(config) -> list[Path]:
    """What every page depends on besides its own source: the package, data, bibliography (and translations)."""
    inputs = [Path(__file__).parent, paths.data_dir(), paths.bibliography()]
    if i18n.language(config.language) != i18n.ENGLISH and i18n.locale_dir().is_dir():
        inputs.append(i18n.locale_dir())
    return inputs


def _on_config_inited(app, config) -> None:
    # Inherited by the kernels that execute the chapters: see charts.setup(), paths.root(), i18n.language().
    os.environ[charts.BOOK_BUILD_ENV] = "1"
    os.environ[paths.ROOT_ENV] = str(Path(app.confdir).resolve())
    language = i18n.language(config.language)
    os.environ[i18n.LANGUAGE_ENV] = language
    _invalidate_stale_execution_cache(app, config)
    suffix = "" if language == i18n.ENGLISH else f"-{language}"
    build_root = Path(app.doctreedir).parent
    package = Path(__file__).parent
    static = build_root / f"infraclusters-static{suffix}"
    key = _fingerprint(package / "bundle.py") + str(bundle.bundled_versions())
    _write_if_changed(
        static, key, lambda d: (d / bundle.BUNDLE_NAME).write_text(bundle.build_bundle(), encoding="utf-8")
    )
    (static / STYLESHEET).write_text(CSS, encoding="utf-8")
    (static / ACCESSIBILITY_SCRIPT).write_text(ACCESSIBILITY_JS, encoding="utf-8")
    extra = build_root / f"infraclusters-extra{suffix}"
    key = _fingerprint(*_inputs(config))
    if os.environ.get(SKIP_EXPORTS_ENV) != "1":  # tests of the build's error paths need no downloads
        _write_if_changed(extra, key, lambda d: figures.export_all(d / "figures", language=language))
    extra.mkdir(parents=True, exist_ok=True)
    config.html_static_path.append(str(static))
    config.html_extra_path.append(str(extra))


def _source_markup(source: str, language: str = i18n.ENGLISH) -> str:
    """A caption's source as MyST: data files as code, paper sections as text, bib keys cited."""
    if source.startswith("data/"):
        return f"`{source}`"
    if source.startswith("paper"):
        return i18n.paper_source(source, language)
    return f"{{cite:p}}`{source}`"


class InfraFigure(PasteFigureDirective):
    """``{infra-figure} fig-id``: a glued chart as a numbered, captioned, downloadable figure."""

    has_content = False
    option_spec = {}

    def run(self):
        language = _language(self.env)
        try:
            fig = figures.get(self.arguments[0], language=language)
        except KeyError as exc:
            raise self.error(str(exc)) from None
        self.options = {"name": fig.id, "alt": fig.alt, "figclass": ["infra-figure"]}
        sources = ("；" if language == i18n.CHINESE else "; ").join(_source_markup(s, language) for s in fig.sources)
        if language == i18n.CHINESE:
            caption = f"**{_escape(fig.title_zh)}**。{_escape(fig.caption)} *来源：*{sources}。"
        else:
            caption = (
                f"**{_escape(fig.title_en)}** {_escape(fig.title_zh)}. {_escape(fig.caption)} *Source:* {sources}."
            )
        self.content = StringList([caption], source=self.state.document.current_source)
        if self.env.app.builder.name != "html":  # the print edition (singlehtml → PDF): the static export
            return _untranslatable([self._static_figure(fig, caption)])
        result = super().run()
        figure_node = result[0]
        if isinstance(figure_node, nodes.figure):
            figure_node += nodes.legend("", self._downloads(fig, language))
        return _untranslatable(result)

    @property
    def env(self):
        return self.state.document.settings.env

    def _static_figure(self, fig, caption: str) -> nodes.figure:
        """The figure as its exported image, numbered and captioned like the interactive one."""
        single = self.env.app.builder.name == "singlehtml"  # one page, written where the root document goes
        prefix = "../" * (self.env.config.root_doc if single else self.env.docname).count("/")
        image = nodes.raw(
            "",
            f'<img src="{prefix}figures/{fig.id}.png" alt="{html.escape(fig.alt, quote=True)}" '
            'class="infra-static-figure">',
            format="html",
        )
        figure_node = nodes.figure("", image, classes=["infra-figure"])
        self.add_name(figure_node)
        holder = nodes.Element()
        self.state.nested_parse(StringList([caption]), self.content_offset, holder)
        figure_node += nodes.caption("", "", *holder[0].children)
        return figure_node

    def _downloads(self, fig, language: str) -> nodes.raw:
        prefix = "../" * self.env.docname.count("/")
        links = " · ".join(
            f'<a href="{prefix}figures/{fig.id}.{ext}" download>{_(label, language)}</a>' for ext, label in DOWNLOADS
        )
        text = (
            f'<p class="infra-figure-downloads">{_("Download:", language)} {links}</p>'
            f'<details class="infra-figure-alt"><summary>{_("Text description", language)}</summary>'
            f"<p>{html.escape(fig.alt)}</p></details>"
        )
        return nodes.raw("", text, format="html")


def _language(env) -> str:
    return i18n.language(env.config.language)


def _untranslatable(result: list) -> list:
    """Mark generated text as not for the chapter catalogues: the package writes it in the edition's language."""
    for node in result:
        if isinstance(node, nodes.Element):
            for element in node.findall(nodes.TextElement):
                element["translatable"] = False
    return result


class KeepGeneratedText(SphinxTransform):
    """Keep notebook outputs out of the chapter catalogues.

    A chapter's outputs (tables, glued text) are written by the package in the
    edition's language; only the prose of the source is Sphinx's to translate.
    Runs before Sphinx's own translation transform (priority 20).
    """

    default_priority = 5

    def apply(self, **kwargs) -> None:
        for container in self.document.findall(nodes.container):
            if "cell_output" in container.get("classes", []) or str(container.get("nb_element", "")).startswith(
                "cell_code_output"
            ):
                _untranslatable([container])


_GLUE_ROLE = re.compile(r"(\{glue(?::\w+)?\}`)(?![^`]*::)([^`]+)`")


def _with_format(match) -> str:
    """``{glue:text}`doc::key``` needs a format spec to be read as a reference (myst-nb splits at the last colon)."""
    key = match.group(2)
    return key if ":" in key or match.group(1) != "{glue:text}`" else key + ":s"


def _glue_data_of_translated_text() -> None:
    """Let ``{glue:text}`` in a translated paragraph find the chapter's glued values.

    Sphinx parses each translation as a small document of its own, with no
    notebook behind it, so myst-nb finds no glue data there. The translation's
    glue roles are pointed at the chapter (``{glue:text}`chapter::key```),
    which myst-nb resolves from the values the chapter's execution stored.
    """
    import sphinx.transforms.i18n as sphinx_i18n

    original = sphinx_i18n.publish_msgstr
    if getattr(original, "__name__", "") == "publish_translation":
        return

    def publish_translation(app, source, source_path, source_line, config, settings):
        docname = Path(app.env.doc2path(app.env.docname)).name  # the page itself, relative to itself
        source = _GLUE_ROLE.sub(lambda m: f"{m.group(1)}{docname}::{_with_format(m)}`", source)
        return original(app, source, source_path, source_line, config, settings)

    sphinx_i18n.publish_msgstr = publish_translation


class TranslateTocCaptions(SphinxTransform):
    """The table of contents' part captions in the edition's language.

    sphinx-external-toc inserts the toctrees (priority 100) after Sphinx has
    translated the page (priority 20), so their captions are translated here,
    from the same catalogue as the page they sit on.
    """

    default_priority = 150

    def apply(self, **kwargs) -> None:
        from sphinx import locale

        if i18n.language(self.config.language) == i18n.ENGLISH:
            return
        directories = [str(Path(self.env.srcdir) / d) for d in self.config.locale_dirs]
        domain = _text_domain(self.env.docname, self.config.gettext_compact)
        catalogue, found = locale.init(directories, self.config.language, domain)
        if not found:
            return
        for toctree in self.document.findall(addnodes.toctree):
            if toctree.get("caption"):
                toctree["caption"] = catalogue.gettext(toctree["caption"])


def _text_domain(docname: str, compaction) -> str:
    """The catalogue of a page: the case pages share their template's, being one text."""
    from . import cases

    if docname.startswith(cases.CASES_DIR + "/"):
        docname = cases.TEMPLATE.rsplit(".", 1)[0]
    return _sphinx_text_domain(docname, compaction)


def _share_case_catalogue() -> None:
    import sphinx.builders
    import sphinx.builders.gettext
    import sphinx.environment
    import sphinx.transforms.i18n

    for module in (sphinx.transforms.i18n, sphinx.builders, sphinx.builders.gettext, sphinx.environment):
        module.docname_to_domain = _text_domain


def _edition_links(app, pagename, templatename, context, doctree) -> None:
    """Every page links to the same page in the other edition (published side by side)."""
    if app.builder.name != "html":
        return
    language = i18n.language(app.config.language)
    up = "../" * pagename.count("/")
    if language == i18n.ENGLISH:
        href, other, label, hreflang = f"{up}{i18n.CHINESE}/{pagename}.html", i18n.CHINESE, "中文版", "zh-CN"
    else:
        href, other, label, hreflang = f"{up}../{pagename}.html", i18n.ENGLISH, "English edition", "en"
    context["metatags"] = context.get("metatags", "") + f'<link rel="alternate" hreflang="{hreflang}" href="{href}">\n'
    switch = (
        f'<p class="infra-edition-switch"><a href="{href}" hreflang="{hreflang}" lang="{hreflang}" '
        f'data-edition="{other}">{label}</a></p>\n'
    )
    context["body"] = switch + context.get("body", "")


def _escape(text) -> str:
    """Data text made inert inside generated MyST: no HTML, no roles, no emphasis."""
    escaped = html.escape(str(text), quote=False)
    for mark in "`*_[]{}|":
        escaped = escaped.replace(mark, "\\" + mark)
    return escaped


def claim_label(claim_id: str) -> str:
    return "claim-" + claim_id.lower()


def claim_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{claim}`C1.1-04```: a checked link to the claim's entry in the ledger appendix."""
    from .data import load_table

    claim_id = text.strip()
    env = inliner.document.settings.env
    env.note_dependency(str(paths.data_dir() / "claims.csv"))
    if claim_id not in set(load_table("claims")["claim_id"]):
        message = inliner.reporter.error(f"unknown claim id {claim_id!r}: not in data/claims.csv", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    node = addnodes.pending_xref(
        rawtext,
        nodes.inline(claim_id, claim_id, classes=["infra-claim"]),
        refdomain="std",
        reftype="ref",
        reftarget=claim_label(claim_id),
        refexplicit=True,
        refwarn=True,
    )
    return [node], []


class GeneratedMarkdown(SphinxDirective):
    """Base for pages generated from data: subclasses return MyST text, parsed in place."""

    has_content = False
    tables: tuple[str, ...] = ()

    def markdown(self) -> str:
        raise NotImplementedError

    def run(self):
        for table in self.tables:
            self.env.note_dependency(str(paths.data_dir() / f"{table}.csv"))
        container = nodes.container(classes=["infra-generated"])
        lines = StringList(self.markdown().splitlines(), source=self.env.docname)
        self.state.nested_parse(lines, self.content_offset, container)
        return _untranslatable(container.children)

    @property
    def language(self) -> str:
        return _language(self.env)


class GlossaryDirective(GeneratedMarkdown):
    """``{infra-glossary}``: data/glossary.csv as a Sphinx glossary (Chinese and English terms)."""

    tables = ("glossary",)

    def markdown(self) -> str:
        from .data import load_table

        lines = [":::{glossary}"]
        chinese = self.language == i18n.CHINESE
        glossary = load_table("glossary")
        if not chinese:  # the Chinese edition keeps the table's order (pinyin order would need a collation table)
            glossary = glossary.sort_values("term_en", key=lambda terms: terms.str.lower())
        for row in glossary.itertuples():
            definition = _escape(_(row.definition_en, self.language))
            quote = f"“{_escape(row.quote_zh)}”"
            if chinese:
                source = "；".join(i18n.paper_source(part.strip(), self.language) for part in row.source.split(";"))
                lines += [row.term_zh, row.term_en, f"  {definition} {quote}（{_escape(source)}）", ""]
            else:
                lines += [row.term_en, row.term_zh, f"  {definition} {quote} ({_escape(row.source)})", ""]
        return "\n".join(lines + [":::"])


class ClaimsLedgerDirective(GeneratedMarkdown):
    """``{infra-claims-ledger}``: every claim, with the chapters and figures that reproduce it."""

    tables = ("claims",)

    def markdown(self) -> str:
        from . import coverage

        lang = self.language
        chinese = lang == i18n.CHINESE
        table = coverage.ledger()
        covered = int(table["covered"].sum())
        parts = [
            _(
                "Reproduced so far: **{covered}** of **{total}** claims; "
                "**{missing}** are not yet reproduced by any chapter or figure.",
                lang,
            ).format(covered=covered, total=len(table), missing=len(table) - covered),
            "",
        ]
        for section, group in table.groupby("section", sort=False):
            title = _("Introduction", lang) if section == "intro" else f"§{section}"
            parts += [f"## {title}", ""]
            for row in group.itertuples():
                value = ""
                if row.value == row.value and row.value is not None:  # not NaN
                    number = int(row.value) if float(row.value).is_integer() else row.value
                    dated = ""
                    if isinstance(row.as_of, str):
                        dated = _(", as of {date}", lang).format(date=_escape(row.as_of))
                    value = f" · **{number}** {_escape(_(row.unit, lang))}{dated}"
                support = [f"{{doc}}`/{doc}`" for doc in row.chapters]
                support += [f"{{numref}}`{fig}`" for fig in row.figures]
                where = ("；" if chinese else "; ").join(support) if support else _("*not yet reproduced*", lang)
                english = "" if chinese else f"*{_escape(row.text_en)}* "
                parts += [
                    f"({claim_label(row.claim_id)})=",
                    f"**{row.claim_id}** · {_(row.kind, lang)}{value} · “{_escape(row.quote_zh)}” "
                    f"{english}— {_('reproduced in:', lang)} {where}",
                    "",
                ]
        return "\n".join(parts)


class FigureGalleryDirective(GeneratedMarkdown):
    """``{infra-figure-gallery}``: every figure of the book with thumbnail, downloads and citations."""

    tables = ("clusters", "facilities", "claims")

    def markdown(self) -> str:
        from . import citation

        lang = self.language
        chinese = lang == i18n.CHINESE
        prefix = "../" * self.env.docname.count("/")
        parts = []
        for figure_id in figures.figure_ids():
            fig = figures.get(figure_id, language=lang)
            links = " · ".join(
                f'<a href="{prefix}figures/{fig.id}.{ext}" download>{_(label, lang)}</a>'
                for ext, label in DOWNLOADS[:4]
            )
            sources = ("；" if chinese else "; ").join(_source_markup(s, lang) for s in fig.sources)
            title = (
                f"**{_escape(fig.title_zh)}**" if chinese else f"**{_escape(fig.title_en)}** {_escape(fig.title_zh)}"
            )
            parts += [
                f"## {{numref}}`{fig.id}`",
                "",
                f"{title} · {_('in', lang)} {{doc}}`/{fig.chapter}` · `{fig.id}`",
                "",
                f'<a href="{prefix}figures/{fig.id}.png"><img class="infra-thumb" src="{prefix}figures/{fig.id}.thumb.png" '
                f'alt="{html.escape(fig.alt, quote=True)}" loading="lazy"></a>',
                "",
                f"{_escape(fig.caption)} *{_('Source:', lang)}* {sources}{'。' if chinese else '.'}",
                "",
                f'<p class="infra-figure-downloads">{_("Download:", lang)} {links}</p>',
                "",
                "```text",
                citation.figure_text(fig.id, fig.title, lang),
                "```",
                "",
                "```bibtex",
                citation.figure_bibtex(fig.id, fig.title, lang).rstrip(),
                "```",
                "",
            ]
        return "\n".join(parts)


class ColophonDirective(GeneratedMarkdown):
    """``{infra-colophon}``: the commit and the software that produced this build."""

    PACKAGES = (
        "jupyter-book",
        "sphinx",
        "myst-nb",
        "myst-parser",
        "sphinx-book-theme",
        "sphinxcontrib-bibtex",
        "altair",
        "vl-convert-python",
        "pandas",
        "numpy",
        "networkx",
        "frictionless",
        "papermill",
        "jupytext",
        "infraclusters",
    )

    def markdown(self) -> str:
        import platform
        import subprocess
        from importlib import metadata

        def git(*args) -> str:
            try:
                return subprocess.run(
                    ["git", *args], cwd=self.env.srcdir, capture_output=True, text=True, check=True
                ).stdout.strip()
            except (OSError, subprocess.CalledProcessError):
                return ""

        lang = self.language
        commit = git("rev-parse", "HEAD") or _("not a git checkout", lang)
        dirty = _(" (with uncommitted changes)", lang) if git("status", "--porcelain", "--untracked-files=no") else ""
        date = git("show", "-s", "--format=%cI", "HEAD") or _("unknown", lang)
        rows = [f"| {name} | {metadata.version(name)} |" for name in self.PACKAGES]
        system = f"{platform.system()} {platform.machine()}"
        return "\n".join(
            [
                _("- Commit: `{commit}`{dirty}, committed {date}", lang).format(commit=commit, dirty=dirty, date=date),
                _("- Python {version} on {system}", lang).format(version=platform.python_version(), system=system),
                "",
                f"| {_('Package', lang)} | {_('Version', lang)} |",
                "|---|---|",
                *rows,
            ]
        )


def _outdated_docs(app, env, added, changed, removed):
    """Pages Sphinx would skip but must re-read.

    Every page when the package, data or bibliography changed (Sphinx tracks
    only each page's own source, and its notebook must re-execute). The pages
    that summarise the others (claims ledger, gallery, colophon) when any page
    was added, changed or removed, or the commit changed: the ledger reflects
    every chapter's {claim} roles and the colophon names the commit.
    """
    previous = getattr(env, "infraclusters_summary_key", None)  # kept in the pickled environment
    key = env.infraclusters_summary_key = _commit_state(app.srcdir)
    if getattr(app, "infraclusters_inputs_changed", False):
        return sorted(env.found_docs - set(changed) - set(added))
    if not (added or changed or removed) and previous == key:
        return []
    summaries = ("/claims", "/colophon", "/gallery")
    return [doc for doc in env.found_docs if doc.endswith(summaries) and doc not in changed]


def _commit_state(srcdir) -> str:
    """The commit and whether tracked files differ from it (what the colophon reports)."""
    import subprocess

    def git(*args) -> str:
        try:
            return subprocess.run(["git", *args], cwd=srcdir, capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return ""

    return git("rev-parse", "HEAD") + git("status", "--porcelain", "--untracked-files=no")


def _write_case_pages(app, config) -> None:
    """One page per cluster from the case template, before the table of contents is read."""
    from . import cases

    os.environ[paths.ROOT_ENV] = str(Path(app.confdir).resolve())
    if (Path(app.confdir) / cases.TEMPLATE).is_file() and (paths.data_dir() / "clusters.csv").is_file():
        cases.write_pages(root=Path(app.confdir))


def setup(app):
    app.setup_extension("myst_nb")
    app.connect("config-inited", _write_case_pages, priority=10)  # before sphinx-external-toc globs
    app.connect("config-inited", _on_config_inited)
    app.add_js_file(bundle.BUNDLE_NAME, priority=100)
    app.add_css_file(STYLESHEET)
    app.add_js_file(ACCESSIBILITY_SCRIPT, loading_method="defer")
    app.add_directive("infra-figure", InfraFigure)
    app.add_directive("infra-glossary", GlossaryDirective)
    app.add_directive("infra-claims-ledger", ClaimsLedgerDirective)
    app.add_directive("infra-figure-gallery", FigureGalleryDirective)
    app.add_directive("infra-colophon", ColophonDirective)
    app.add_role("claim", claim_role)
    app.connect("env-get-outdated", _outdated_docs)
    app.connect("html-page-context", _edition_links)
    app.add_transform(KeepGeneratedText)
    app.add_transform(TranslateTocCaptions)
    _share_case_catalogue()
    _glue_data_of_translated_text()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
