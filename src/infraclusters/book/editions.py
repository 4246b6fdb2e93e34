"""The two editions: building either, side by side.

The English edition is the book's source text; it builds into ``_build/html/``.
The Simplified Chinese edition is built from the same sources with Sphinx's
``language = "zh_CN"`` into ``_build/html/zh_CN/``, so the two are published
side by side and every page links to its twin. Keeping the translations in
step with the sources is :mod:`.translations`'s work.
"""

from __future__ import annotations

from pathlib import Path

from ..edition import Edition
from ..handover import PACKAGE_ROOT


def book_root() -> Path:
    """The book being worked on: the current directory if it holds a book, else the installed checkout."""
    here = Path.cwd()
    return here if (here / "_config.yml").is_file() and (here / "_toc.yml").is_file() else PACKAGE_ROOT


def book_title(root: Path | None = None) -> str:
    """The title in ``_config.yml`` (the English edition's; the Chinese one shows its translation)."""
    import yaml

    config = yaml.safe_load(((root or book_root()) / "_config.yml").read_text(encoding="utf-8"))
    return config["title"]


def site_dir(language: str, root: Path | None = None) -> Path:
    root = root or book_root()
    site = root / "_build" / "html"
    return site if Edition(language).is_english else site / Edition(language).language


def language_settings(ed: Edition) -> dict:
    """Sphinx settings every page of a Chinese edition needs, the book's and a page rendered alone: myst-nb's
    toggles of hidden cells (the chapters fold away only code, tagged hide-input) and the figure numbers."""
    if ed.is_english:
        return {}
    return {
        "nb_code_prompt_show": ed.t("Show code cell {type}"),
        "nb_code_prompt_hide": ed.t("Hide code cell {type}"),
        "numfig_format": ed.numfig_format,
    }


def build(
    language: str,
    root: Path | None = None,
    strict: bool = False,
    builder: str = "html",
    exports: bool = True,
    pdf_links: bool = False,
) -> Path:
    """Build one edition (``jupyter-book build`` with the edition's language); returns its folder.

    ``strict`` is the CI build: warnings are errors, broken references too, and
    every problem is listed before it fails. ``exports=False`` skips the
    figure downloads (the catalogues need the text only). ``pdf_links`` links
    the PDF editions, which a release puts in the site's ``downloads/``.
    """
    from jupyter_book.sphinx import build_sphinx

    root = (root or book_root()).resolve()
    ed = Edition(language, root=root)
    language = ed.language
    overrides: dict = {"language": language, "latex_individualpages": False}
    if not exports:
        overrides["infraclusters_exports"] = False
    if pdf_links:
        overrides["infraclusters_pdf_editions"] = True
    if not ed.is_english:
        overrides["nb_execution_cache_path"] = str(root / f".jupyter_cache-{language}")
        overrides["html_title"] = overrides["project"] = ed.t(book_title(root))
        overrides.update(language_settings(ed))
    if strict:
        overrides["nitpicky"] = True
    if builder == "html":
        output = site_dir(language, root)
        doctrees = root / "_build" / (".doctrees" if ed.is_english else f".doctrees-{language}")
    else:
        output = root / "_build" / f"{builder}-{language}"
        doctrees = root / "_build" / f".doctrees-{builder}-{language}"
    status = build_sphinx(
        root,
        output,
        use_external_toc=True,
        noconfig=True,
        path_config=root / "_config.yml",
        confoverrides=overrides,
        builder=builder,
        warningiserror=strict,
        keep_going=strict,
        doctreedir=doctrees,
    )
    if status:
        raise SystemExit(f"the {language} edition did not build (Sphinx exit status {status}); see the messages above")
    return output
