"""The figure registry: every figure of the book, by a stable id.

A :class:`Figure` declares a stable id (its label ``fig-…``, its glue key and
its file names), its title in Chinese and English, the caption, the alt text,
the data it is drawn from and the chapter it appears in. Each figure module
(``concepts``, ``mechanisms``, ``cases``, ``comparison``, ``recommendations``,
``factcheck``) registers its figures with :func:`figure` or, for a figure drawn
once per case cluster, :func:`case_figure`, right above the function that
draws it: ``draw(c, ed)`` for a figure of the book, ``draw(cluster, ed)`` for a
cluster's. Chapters show a figure with :func:`show`; the build and
``python -m infraclusters figures`` export it with :mod:`.export`.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..edition import CHINESE, ENGLISH, Edition


@dataclass(frozen=True)
class Figure:
    id: str
    title_en: str
    title_zh: str
    caption: str
    alt: str
    sources: tuple[str, ...]
    chapter: str
    draw: Callable
    claims: tuple[str, ...] = ()
    language: str = ENGLISH
    #: A reader's dataset (:class:`~infraclusters.text.citation.Dataset`) when the figure draws their cluster:
    #: the citation credits it first, and the book and the paper as the method.
    dataset: object = None

    @property
    def title(self) -> str:
        """The title a citation uses: both languages in the English edition, the Chinese in the Chinese one."""
        if self.language == CHINESE:
            return self.title_zh
        return f"{self.title_en} ({self.title_zh})"

    def localized(self, ed: Edition) -> Figure:
        """This figure with its caption and alt text in the edition's language."""
        if ed.is_english:
            return self
        return replace(self, caption=ed.t(self.caption), alt=ed.t(self.alt), language=ed.language)


FIGURES: dict[str, Figure] = {}


def figure(id: str, **meta) -> Callable:
    """Decorator: register the function that draws figure ``id`` from ``(c, ed)``."""

    def register(draw: Callable) -> Callable:
        if id in FIGURES:
            raise ValueError(f"figure id {id!r} registered twice")
        FIGURES[id] = Figure(id=id, draw=draw, **meta)
        return draw

    return register


#: Where the book writes one page per case cluster (from the case template).
CASES_DIR = "chapters/cases"


def case_page_name(position: int, cluster_id: str) -> str:
    """File stem of a cluster's page: data order first, so the table of contents keeps it."""
    return f"{position:02d}_{cluster_id}"


@dataclass(frozen=True)
class CaseFigure:
    """A figure drawn once per case cluster: ``fig-case-<cluster>-<name>``.

    Titles, caption and alt text are templates filled from the cluster's row
    (``{name_en}``, ``{name_zh}``) and from counts computed from its data.
    """

    name: str
    title_en: str
    title_zh: str
    caption: str
    alt: str
    sources: tuple[str, ...]
    draw: Callable

    def figure_id(self, cluster_id: str) -> str:
        return f"fig-case-{cluster_id.replace('_', '-')}-{self.name}"

    def bind(self, cluster, ed: Edition) -> Figure:
        """The figure of one cluster (a :class:`~infraclusters.model.Cluster`), in the edition ``ed``."""
        from ..text.case_page import whose_reading
        from ..text.citation import dataset_of

        context = {"name_en": cluster.row["name_en"], "name_zh": cluster.row["name_zh"], **case_facts(cluster)}
        context |= whose_reading(cluster, ed)
        dataset = dataset_of(cluster.compendium) if cluster.id in cluster.compendium.own_cluster_ids else None
        sources = self.sources
        if dataset is not None:  # the reader's rows: their dataset is the source, never "paper §3" or the book's files
            files = ", ".join(dict.fromkeys(s.removeprefix("data/") for s in self.sources if s.startswith("data/")))
            sources = (f"dataset: {dataset.title} ({files})",)
        return Figure(
            id=self.figure_id(cluster.id),
            title_en=fill(self.title_en, context, self.title_en),
            title_zh=fill(self.title_zh, context, self.title_zh),
            caption=fill(ed.t(self.caption), context, self.caption),
            alt=fill(ed.t(self.alt), context, self.alt),
            sources=sources,
            chapter=f"{CASES_DIR}/{case_page_name(cluster.position, cluster.id)}",
            draw=lambda c, ed, cluster=cluster: self.draw(cluster, ed),
            claims=(),
            language=ed.language,
            dataset=dataset,
        )


class PlaceholderError(ValueError):
    """A caption, title or alt text (or its translation) names a placeholder its figure does not fill."""


class _PlainFields(string.Formatter):
    """``str.format`` that fills plain names only: no attribute or index (``{name_en.__class__}``), so a
    translation can read nothing of the program through a placeholder."""

    def get_field(self, field_name, args, kwargs):
        if not field_name.isidentifier():
            raise KeyError(field_name)
        return super().get_field(field_name, args, kwargs)

    def format_field(self, value, format_spec):
        if len(format_spec) > 8:  # a width such as >999999999 would build a gigabyte string
            raise ValueError(f"format {format_spec!r} is not one a caption uses")
        return super().format_field(value, format_spec)


def fill(template: str, context: dict, message: str) -> str:
    """``template`` with its ``{placeholders}`` filled from ``context``; a placeholder the figure has not, or
    one that reaches into a value, is an error naming the message (of ``infraclusters.po``, if translated)."""
    try:
        return _PlainFields().vformat(template, (), context)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise PlaceholderError(
            f"the text {message[:70]!r} (or its translation in locales/…/infraclusters.po) has a placeholder "
            f"this figure cannot fill: {exc}; it may name only {sorted(context)}"
        ) from None


def case_facts(cluster) -> dict:
    """The counts a case figure's caption and alt text quote."""
    metrics = cluster.metrics
    return {
        "n_facilities": metrics["n_facilities"],
        "n_organisations": metrics["n_organisations"],
        "n_relations": metrics["n_relations"],
        "n_dated": len(cluster.timeline),
        "coverage": f"{metrics['stage_coverage']:.0%}",
        "n_placed": metrics["n_placed"],
        "n_context": len(metrics["context"]),
    }


CASE_FIGURES: dict[str, CaseFigure] = {}


def case_figure(name: str, **meta) -> Callable:
    """Decorator: register a figure drawn for every case cluster, from ``(cluster, ed)``."""

    def register(draw: Callable) -> Callable:
        CASE_FIGURES[name] = CaseFigure(name=name, draw=draw, **meta)
        return draw

    return register


def figure_ids(c) -> list[str]:
    """Every figure of the book for this compendium: the fixed ones, then each cluster's."""
    ids = sorted(FIGURES)
    for cluster_id in c.cluster_ids:
        ids += [family.figure_id(cluster_id) for family in CASE_FIGURES.values()]
    return ids


def get(figure_id: str, c, ed: Edition) -> Figure:
    """The figure with this id (fixed, or a cluster's), or KeyError naming the known ids.

    Caption and alt text are in the edition's language.
    """
    if figure_id in FIGURES:
        fig = FIGURES[figure_id].localized(ed)
        if getattr(c, "own_cluster_ids", None):  # a reader's clusters beside the book's: each row's source credited
            from ..text.citation import dataset_of

            dataset = dataset_of(c)
            # the book's rows keep their sources (paper §3, the book's tables); the reader's rows, their dataset
            fig = replace(fig, dataset=dataset, sources=(*fig.sources, f"dataset: {dataset.title}"))
        return fig
    for cluster_id in c.cluster_ids:
        for family in CASE_FIGURES.values():
            if family.figure_id(cluster_id) == figure_id:
                return family.bind(c.cluster(cluster_id), ed)
    known = ", ".join(figure_ids(c))
    raise KeyError(f"unknown figure {figure_id!r}; known figures: {known}")


def build(figure_id: str, c, ed: Edition):
    """The finished chart: drawn from the data, titled, with its alt text as Vega description.

    Drawn with pandas' display options pinned, as :func:`spec` explains: Altair
    names its views while the chart is put together.
    """
    fig = get(figure_id, c, ed)
    with _pinned_repr():
        chart = fig.draw(c, ed)
        title = {"text": fig.title_zh} if ed.is_chinese else {"text": fig.title_en, "subtitle": fig.title_zh}
        return chart.properties(title=_fitted(title, chart), description=fig.alt)


#: A chart drawn this narrow is drawn for a phone's frame (a path): its title is broken to its width.
PHONE_CHART_PX = 360
#: Pixels a column of the title and of the subtitle takes (a Chinese character two columns).
TITLE_COLUMN_PX = {"text": 7.5, "subtitle": 6}


def _fitted(title: dict, chart) -> dict:
    """``title`` broken into lines no wider than ``chart``, for a chart drawn for a phone's frame (a path figure
    stays as narrow as it is drawn); any other chart's title is left on its line, as its labels widen it."""
    from .marks import wrap

    width = chart.to_dict(validate=False).get("width")
    if not isinstance(width, int | float) or width > PHONE_CHART_PX:
        return title
    fitted = {}
    for key, text in title.items():
        columns = int(width / TITLE_COLUMN_PX[key])
        lines = wrap(text, columns)
        if len(lines) > 1:  # as many lines, of even length (no last line of one word or character)
            size = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
            even = wrap(text, -(-size // len(lines)) + 4)
            lines = even if len(even) == len(lines) and max(map(len, even)) <= columns else lines
        fitted[key] = lines if len(lines) > 1 else text
    return fitted


#: pandas' display options, pinned while a spec is made (see :func:`spec`).
REPR_OPTIONS = {
    "display.max_columns": 20,
    "display.max_rows": 60,
    "display.min_rows": 10,
    "display.width": 80,
    "display.max_colwidth": 50,
    "display.expand_frame_repr": True,
    "display.show_dimensions": "truncate",
}


def spec(chart) -> dict:
    """The chart's Vega-Lite spec, the same in every process.

    Altair names a view by hashing its data's text, which is pandas' repr of the
    frame and so follows pandas' display options: an IPython kernel sets its
    own, and the terminal's width enters when ``display.max_columns`` is 0. A
    spec made in a kernel (``run``) must equal the one the book build exported.
    """
    with _pinned_repr():
        return chart.to_dict()


def _pinned_repr():
    import pandas as pd

    return pd.option_context(*[item for pair in REPR_OPTIONS.items() for item in pair])


def drawn_data(chart):
    """The rows a chart draws (every figure draws one top-level data frame), its labels on one line.

    A column drawn as a label (on x, y or as text) may hold the theme's line break (``|``): it is
    for the axis, not for a reader of the table, so it becomes a space. Other columns are the data
    as it is (a "|" of the data in a label was made a full-width bar, see :func:`.marks.as_text`).
    """
    from .theme import LINE_BREAK

    frame = chart.data.copy()
    for column in encoded_fields(chart.to_dict(validate=False)) & set(frame.columns):
        frame[column] = frame[column].map(lambda v: v.replace(LINE_BREAK, " ") if isinstance(v, str) else v)
    return frame


def encoded_fields(node, channels: tuple[str, ...] = ("x", "y", "text")) -> set[str]:
    """The fields a spec encodes on ``channels``, anywhere in it (layers included; a channel such as
    ``tooltip`` may hold a list). By default the fields drawn as labels: on an x or y axis, or as text."""
    found = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in channels:
                for definition in value if isinstance(value, list) else [value]:
                    if isinstance(definition, dict) and isinstance(definition.get("field"), str):
                        found.add(definition["field"])
            found |= encoded_fields(value, channels)
    elif isinstance(node, list):
        for item in node:
            found |= encoded_fields(item, channels)
    return found


def plot_scale(chart) -> tuple[float, float]:
    """Pixels per data unit along x and y, for a chart drawn on explicit ``x`` and ``y`` domains.

    The network figures fix their domains, so distances in their data (how far
    an edge passes from a node) can be measured in the pixels a reader sees.
    """
    drawn = spec(chart)
    scales = {}

    def find(node):
        if isinstance(node, dict):
            for channel in ("x", "y"):
                domain = node.get("encoding", {}).get(channel, {}).get("scale", {}).get("domain")
                if isinstance(domain, list) and len(domain) == 2:
                    scales.setdefault(channel, domain)
            for value in node.values():
                find(value)
        elif isinstance(node, list):
            for item in node:
                find(item)

    find(drawn)
    if set(scales) != {"x", "y"}:
        raise ValueError("the chart does not fix both its x and y domains")
    (x0, x1), (y0, y1) = scales["x"], scales["y"]
    return drawn["width"] / (x1 - x0), drawn["height"] / (y1 - y0)


def figure_claims() -> dict[str, list[str]]:
    """Figure id → the claim ids the figure shows (for the claims ledger)."""
    return {fig.id: list(fig.claims) for fig in FIGURES.values()}
