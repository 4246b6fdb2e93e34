"""A stable address per figure, whatever page it is on: ``figures/<id>.html``.

Each figure's page moves with the book's chapters; its downloads and this
page do not. ``figures/fig-mechanism-map.html`` sends the reader on to the
figure where it stands in the book (a plain ``meta refresh``, no script), and
says, for a reader whose browser does not follow it, where the figure is, how
to cite it and what to download.
"""

from __future__ import annotations

import html
from pathlib import Path

from . import config


def record(env, figure_id: str) -> None:
    """While a page is read: the figure ``figure_id`` is placed on it."""
    pages = getattr(env, "infraclusters_figure_pages", None)
    if pages is None:
        pages = env.infraclusters_figure_pages = {}
    pages[figure_id] = env.docname


def purge(app, env, docname: str) -> None:
    """A page read again (or removed) forgets the figures it placed."""
    pages = getattr(env, "infraclusters_figure_pages", {})
    for figure_id in [f for f, doc in pages.items() if doc == docname]:
        del pages[figure_id]


def merge(app, env, docnames, other) -> None:
    env.infraclusters_figure_pages = {
        **getattr(env, "infraclusters_figure_pages", {}),
        **{f: d for f, d in getattr(other, "infraclusters_figure_pages", {}).items() if d in docnames},
    }


def page(figure_id: str, target: str, title: str, citation: str, labels: dict[str, str]) -> str:
    """The permalink page: a redirect to ``target`` (relative to ``figures/``), and what a reader needs there."""
    t, where = html.escape(title), html.escape(target, quote=True)
    sep = "" if labels["lang"].startswith("zh") else " "  # no space after a full-width colon
    downloads = " · ".join(
        f'<a href="{html.escape(figure_id)}.{ext}">{html.escape(ext)}</a>'
        for ext in ("png", "svg", "vl.json", "csv", "txt", "bib", "docx", "pptx")
    )
    return (
        '<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={where}">'
        f'<link rel="canonical" href="{where}"><title>{t}</title></head>\n<body>\n'
        f'<p>{html.escape(labels["moved"])}{sep}<a href="{where}">{t}</a></p>\n'
        f"<p>{html.escape(labels['cite'])}{sep}{html.escape(citation)}</p>\n"
        f"<p>{html.escape(labels['download'])}{sep}{downloads}</p>\n</body></html>\n"
    ).replace("{lang}", html.escape(labels["lang"], quote=True))


def write(app, exception) -> None:
    """After an HTML build: ``figures/<id>.html`` for every figure placed on a page."""
    if exception is not None or app.builder.name != "html":
        return
    book = config.from_app(app)
    ed = book.edition
    labels = {
        "lang": "zh-CN" if ed.is_chinese else "en",
        "moved": ed.t("This figure is on the page:"),
        "cite": ed.t("Cite as:"),
        "download": ed.t("Download:"),
    }
    out = Path(app.outdir) / "figures"
    for figure_id, docname in sorted(getattr(app.env, "infraclusters_figure_pages", {}).items()):
        target = f"../{app.builder.get_target_uri(docname)}#{figure_id}"
        cited = out / f"{figure_id}.txt"
        citation = cited.read_text(encoding="utf-8").strip() if cited.is_file() else figure_id
        title = citation.split(" [", 1)[0].split("［", 1)[0]
        text = page(figure_id, target, title, citation, labels)
        path = out / f"{figure_id}.html"
        if not (path.is_file() and path.read_text(encoding="utf-8") == text):
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
