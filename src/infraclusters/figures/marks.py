"""Shared marks: category labels and colours, the stage × row matrix, two-line labels, tooltips."""

from __future__ import annotations

import re
import textwrap

import altair as alt
import pandas as pd

from ..edition import Edition
from .theme import (  # noqa: F401 - re-exported for the figure modules
    AGREEMENT_COLOURS,
    CATEGORY_COLOURS,
    CATEGORY_LABELS,
    CODINGS,
    GROUP_LABELS,
    GROUP_PALETTE,
    LINE_BREAK,
    ORG_COLOURS,
    PHASE_COLOURS,
    RELATION_DASHES,
    ROLE_CODINGS,
    STAGE_COLOUR,
    STATUS_SHAPES,
    STATUS_UNKNOWN,
    STATUSES,
    YEAR_MEANINGS,
    YEAR_PHASES,
)


def category_labels(ed: Edition) -> dict[str, str]:
    """Category id → its label in the edition's language."""
    return {key: ed.t(label) for key, label in CATEGORY_LABELS.items()}


def category_colour(ed: Edition) -> alt.Scale:
    return alt.Scale(domain=list(category_labels(ed).values()), range=list(CATEGORY_COLOURS.values()))


def group_labels(ed: Edition) -> dict[str, str]:
    """Category ids and organisation kinds → their label in the edition's language."""
    return {key: ed.t(label) for key, label in GROUP_LABELS.items()}


def group_colour(ed: Edition) -> alt.Scale:
    """One colour per group: the three categories of facility, and the kinds of organisation."""
    labels = group_labels(ed)
    groups = list(dict.fromkeys(labels.values()))
    colours = {
        **{labels[k]: v for k, v in CATEGORY_COLOURS.items()},
        **{labels[k]: v for k, v in ORG_COLOURS.items()},
    }
    return alt.Scale(domain=groups, range=[colours[g] for g in groups])


def domain(values, ed: Edition) -> list[str]:
    return [ed.t(value) for value in values]


def agreement_colour(ed: Edition) -> alt.Color:
    """A fact check's verdict as its colour (one per verdict, in the edition's words), without a legend: the
    charts that use it name the verdicts in their columns or tooltips."""
    scale = alt.Scale(domain=domain(AGREEMENT_COLOURS, ed), range=list(AGREEMENT_COLOURS.values()))
    return alt.Color("agreement:N", scale=scale, legend=None)


def tips(ed: Edition, *tooltips) -> list:
    """Tooltips, without the English-only fields in the Chinese edition."""
    if not ed.is_chinese:
        return list(tooltips)
    return [tip for tip in tooltips if not str(tip.shorthand).split(":")[0].endswith("_en")]


def two_line(zh: pd.Series, en: pd.Series, wrap: int | None = None, *, ed: Edition) -> pd.Series:
    """Labels "中文|English" that the theme breaks into lines; English wrapped at ``wrap`` characters.

    In the Chinese edition the label is the Chinese alone.
    """
    zh, en = as_text(zh), as_text(en)
    if ed.is_chinese:
        return zh
    if wrap:
        en = en.map(lambda text: LINE_BREAK.join(textwrap.wrap(text, wrap, break_long_words=False)))
    return zh + LINE_BREAK + en


#: What a "|" of the data becomes in a label, where "|" breaks the line: the full-width bar, drawn as such.
DATA_BAR = "｜"


def as_text(values: pd.Series) -> pd.Series:
    """Data going into a multi-line label: its own "|" kept as a character, never taken for a line break."""
    return values.map(lambda v: v.replace(LINE_BREAK, DATA_BAR) if isinstance(v, str) else v)


def stage_matrix_chart(
    frame: pd.DataFrame,
    row: str,
    row_order: list[str],
    colour: str,
    colour_scale: alt.Scale,
    colour_title: str,
    tooltip: list,
    ed: Edition,
    codings: tuple = CODINGS,
    opacities: tuple = (1.0, 0.45),
    coding_title: str = "Link 关联",
) -> alt.Chart:
    """Rows (facility types, talent types, entities …) × the chain's stages: a filled cell where a row serves a stage.

    ``frame`` needs ``stage`` (a two-line label), ``stage_order`` and ``coding``:
    by default stated links are solid, inferred ones (our reading of the paper)
    pale; ``codings`` and ``opacities`` name other codings and their opacity.
    """
    stage_order = list(frame.sort_values("stage_order")["stage"].unique())
    frame = frame.assign(coding=ed.values(frame["coding"]))
    # a legend of the codings drawn, not of every coding there is (each keeps its own opacity)
    drawn = [(c, o) for c, o in zip(domain(codings, ed), opacities, strict=True) if c in set(frame["coding"])]
    tooltip, calculations = one_line(tooltip, row, "stage")
    swatch = _first_colour(colour_scale, frame[colour])
    return (
        alt.Chart(frame)
        .transform_calculate(**calculations)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=stage_axis(stage_order, ed),
            y=alt.Y(
                f"{row}:N",
                sort=row_order,
                title=None,
                axis=alt.Axis(labelLimit=240, labelExpr=f"split(datum.label, '{LINE_BREAK}')"),
            ),
            color=alt.Color(
                f"{colour}:N",
                scale=colour_scale,
                title=colour_title,
                legend=alt.Legend(orient="bottom", columns=2),
            ),
            opacity=alt.Opacity(
                "coding:N",
                scale=alt.Scale(domain=[c for c, _ in drawn], range=[o for _, o in drawn]),
                title=ed.t(coding_title),
                # squares in a colour the cells have, solid and pale as the cells are (a default swatch is black)
                legend=alt.Legend(
                    orient="bottom", symbolType="square", symbolFillColor=swatch, symbolStrokeWidth=0, symbolSize=150
                ),
            ),
            tooltip=tooltip,
        )
        .properties(width=400, height=alt.Step(38))
    )


def _first_colour(scale: alt.Scale, values: pd.Series) -> str:
    """The colour ``scale`` gives the first of ``values`` it names (the legend's swatch), or the stage grey."""
    domain_, range_ = scale.to_dict().get("domain"), scale.to_dict().get("range")
    if not isinstance(range_, list) or not range_:
        return STAGE_COLOUR
    if not isinstance(domain_, list):  # a range alone: the first value drawn takes its first colour
        return range_[0]
    for value in values:
        if value in domain_ and domain_.index(value) < len(range_):
            return range_[domain_.index(value)]
    return STAGE_COLOUR


def stage_axis(stage_order: list[str], ed: Edition, **options) -> alt.X:
    """The chain's stages along x, in chain order, each label on two lines ("中文|English")."""
    return alt.X(
        "stage:N",
        sort=stage_order,
        title=ed.t("Chain stage 创新链环节"),
        **options,
        axis=alt.Axis(labelAngle=0, labelExpr=f"split(datum.label, '{LINE_BREAK}')"),
    )


def edge_hover_targets(
    base: alt.Chart, x: alt.X, y: alt.Y, fields: list[str], tooltip: list, size: int = 220
) -> alt.Chart:
    """An invisible hover target at the middle of every edge (the mean of its points), carrying ``tooltip``.

    A line's own tooltip does not show in a browser when it is hovered, so a
    network's edges are read through these; ``fields`` are the edge columns the
    tooltip (or a selection) reads, kept through the aggregation.
    """
    return (
        base.transform_filter("datum.element == 'edge'")
        .transform_aggregate(x="mean(x)", y="mean(y)", groupby=["id", *fields])
        .mark_circle(size=size, opacity=0)
        .encode(x=x, y=y, tooltip=tooltip)
    )


#: The line height of a node label (pixels), and the gap kept between a label set above its node and the node.
NODE_LABEL_LINE_PX, NODE_LABEL_GAP_PX = 13, 14


def node_labels(
    nodes: alt.Chart, x: alt.X, y: alt.Y, placements, font_size: float, halo: bool = False
) -> list[alt.Chart]:
    """Text layers for node labels: ``placements`` is (which, align, dx, place).

    ``which`` is a node kind or a Vega expression choosing nodes; ``place`` is
    ``middle`` (level with the node), ``above`` or ``below`` it. Vega sets a
    multi-line label's first line at the anchor and the rest below it, so a
    label above its node is lifted by its own number of lines: one layer per
    line count, each with its own offset. With ``halo``, each label is drawn
    over a white outline of itself, so a line passing under it does not cross
    its letters.
    """
    if halo:
        # white on white: only its outline shows, under the label drawn over it; hidden from screen readers,
        # which would read every label twice
        outline = {"stroke": "white", "strokeWidth": 4, "strokeJoin": "round", "fill": "white", "aria": False}
        return _node_labels(nodes, x, y, placements, font_size, outline) + _node_labels(
            nodes, x, y, placements, font_size, {}
        )
    return _node_labels(nodes, x, y, placements, font_size, {})


def _node_labels(nodes, x, y, placements, font_size: float, style: dict) -> list[alt.Chart]:
    layers = []
    counted = nodes.transform_calculate(label_lines=f"length(split(datum.label, '{LINE_BREAK}'))")
    for which, align, dx, place in placements:
        chosen = counted.transform_filter(which if "datum." in which else f"datum.kind == '{which}'")
        text = {"fontSize": font_size, "align": align, "dx": dx, "lineHeight": NODE_LABEL_LINE_PX, **style}
        if place == "middle":
            layers.append(chosen.mark_text(baseline="middle", **text).encode(x=x, y=y, text="label:N"))
        elif place == "below":
            layers.append(
                chosen.mark_text(baseline="top", dy=NODE_LABEL_GAP_PX, **text).encode(x=x, y=y, text="label:N")
            )
        else:
            for count in range(1, 7):
                lift = NODE_LABEL_GAP_PX + (count - 1) * NODE_LABEL_LINE_PX
                layers.append(
                    chosen.transform_filter(f"datum.label_lines == {count}")
                    .mark_text(baseline="bottom", dy=-lift, **text)
                    .encode(x=x, y=y, text="label:N")
                )
    return layers


#: A run that must stay on one line: a number, a word, a date (ASCII letters, digits and their punctuation).
#: An opening bracket or quote stays with what follows it.
_UNBROKEN = re.compile(r"[(\[（《「『【“‘]*(?:[A-Za-z0-9][A-Za-z0-9.,%/:+&\-–']*|.)", re.S)


#: Punctuation that may not begin a line in Chinese: it stays at the end of the line before.
_NO_LINE_START = set("、，。；：）」』》】！？…%)]”’")


def wrap(text: str, width: int = 24) -> list[str]:
    """Lines of at most ``width`` columns (a Chinese character counts two), never splitting a number or word."""
    lines, line, used = [], "", 0
    for token in _UNBROKEN.findall(text):
        size = sum(2 if ord(ch) > 0x2E7F else 1 for ch in token)
        if used + size > width and line.strip() and token not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, used = "", 0
            if token.isspace():
                continue
        line += token
        used += size
    if line.strip():
        lines.append(line.rstrip())
    return lines


#: Height of one line of an 11 px label, and the gap kept between two rows' labels.
LINE_PX, ROW_GAP_PX = 14, 6


def lines(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` columns, joined with the theme's line break."""
    return LINE_BREAK.join(wrap(text.replace(LINE_BREAK, DATA_BAR), width)) if text else ""


def row_step(labels, minimum: int) -> alt.Step:
    """A row height that fits the longest multi-line label (so no row's label runs into the next)."""
    most = max((str(label).count(LINE_BREAK) + 1 for label in labels), default=1)
    return alt.Step(max(minimum, most * LINE_PX + ROW_GAP_PX))


def split_label(limit: int) -> alt.Axis:
    """An axis whose labels break at the theme's line break, each line up to ``limit`` pixels."""
    return alt.Axis(labelLimit=limit, labelExpr=f"split(datum.label, '{LINE_BREAK}')")


def one_line(tooltips: list, *fields: str) -> tuple[list, dict[str, str]]:
    """Tooltips that show the two-line label ``fields`` on one line, and the calculations they read.

    A label such as "中文|English|wrapped" breaks into lines on an axis; a tooltip reading it
    would show the ``|``. Each tooltip of one of ``fields`` reads ``<field>_text`` instead,
    which the returned calculations (for ``transform_calculate``) make by putting a space
    for every line break.
    """
    calculations, readable = {}, []
    for tip in tooltips:
        spec = tip.to_dict()
        if spec.get("field") in fields:
            field = spec["field"]
            calculations[f"{field}_text"] = f"replace(datum['{field}'], /\\{LINE_BREAK}/g, ' ')"
            tip = alt.Tooltip(**(spec | {"field": f"{field}_text"}))
        readable.append(tip)
    return readable, calculations
