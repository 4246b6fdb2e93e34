"""Figures of the concepts chapter (§1): the typology on the chain, as a matrix and a network; the concept's milestones."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..edition import Edition
from ..model import graphs
from .marks import (
    CATEGORY_COLOURS,
    CODINGS,
    STAGE_COLOUR,
    category_colour,
    category_labels,
    domain,
    edge_hover_targets,
    node_labels,
    stage_matrix_chart,
    tips,
    two_line,
)
from .registry import figure


@figure(
    "fig-category-stage-matrix",
    title_en="Which infrastructure serves which stage of the whole chain",
    title_zh="三类创新基础设施与全链条各环节",
    caption=(
        "The member types of the three categories of innovation infrastructure (§1.3), each placed "
        "on the stages of the full innovation chain it serves (§1.2). Solid cells are links the "
        "paper states; pale cells are our reading of the sentence quoted in the tooltip."
    ),
    alt=(
        "A grid with the four chain stages as columns and eight facility types as rows, grouped "
        "and coloured by category. Research infrastructure covers the first three stages, "
        "proof-of-concept centres the second and third, pilot bases the third and fourth, "
        "industrial parks the fourth, and the two support types all four stages."
    ),
    sources=(
        "paper §1.2",
        "paper §1.3",
        "paper §2.2",
        "paper §3.1",
        "data/chain_stages.csv",
        "data/facility_types.csv",
        "data/type_stages.csv",
    ),
    chapter="chapters/concepts",
    claims=("C1.2-04", "C1.3-03", "C1.3-04", "C1.3-06", "C1.3-07", "C1.3-09", "C1.3-10", "C1.3-12"),
)
def _category_stage(c, ed):
    return category_stage_chart(c.type_links, ed=ed)


@figure(
    "fig-typology-network",
    title_en="Categories, facility types and chain stages as a network",
    title_zh="创新基础设施类别、设施类型与创新链环节网络",
    caption=(
        "The §1 typology as a directed graph (networkx): each category points to its member types "
        "(§1.3), each type to the chain stages it serves, and the stages follow one another along "
        "the whole chain (§1.2). Dashed edges are our reading of the paper's wording, solid edges "
        "are stated."
    ),
    alt=(
        "A three-column network. Left: the three categories. Middle: eight facility types. Right: "
        "the four chain stages linked top to bottom. Lines run from each category to its types and "
        "from each type to the stages it serves; the two support types connect to all four stages."
    ),
    sources=(
        "paper §1.2",
        "paper §1.3",
        "paper §2.2",
        "paper §3.1",
        "data/chain_stages.csv",
        "data/facility_categories.csv",
        "data/facility_types.csv",
        "data/type_stages.csv",
    ),
    chapter="chapters/concepts",
    claims=("C0-08", "C1.3-03", "C1.3-06", "C1.3-09", "C1.3-12"),
)
def _typology_network(c, ed):
    graph = c.typology_graph
    return network_chart(graphs.graph_frame(graph, graphs.layered_layout(graph)), ed=ed)


@figure(
    "fig-concept-milestones",
    title_en="Milestones of the concept of innovation infrastructure",
    title_zh="创新基础设施概念的发展节点",
    caption=(
        "The dates §1 gives for the concept and for the policies that shaped it, with the works §1 "
        "cites placed at their years of publication, which come from the works themselves, not from "
        "the paper. Roig-Tierno et al. is left out: its year could not be checked."
    ),
    alt=(
        "A time axis with one row per milestone, each a dot at its year labelled with the date as the "
        "paper gives it: the origin of the concept, the works the paper cites, the National "
        "Development and Reform Commission's inclusion of innovation infrastructure in new-type "
        "infrastructure, and the seven departments' opinions on industries of the future."
    ),
    sources=("paper §1.1", "paper §1.2", "data/milestones.csv", "justman1995", "feldman1994", "furman2002"),
    chapter="chapters/concepts",
    claims=("C1.1-01", "C1.1-02", "C1.1-03", "C1.1-04", "C1.2-02", "C1.2-07"),
)
def _milestones(c, ed):
    return milestone_chart(c.table("milestones"), ed=ed)


def category_stage_chart(links: pd.DataFrame, ed: Edition) -> alt.Chart:
    """Facility types (rows, grouped by category) × chain stages: who serves what (§1.3).

    ``links`` is :func:`infraclusters.chain.type_stage_links`.
    """
    frame = links.assign(
        stage=two_line(links["stage_zh"], links["stage_en"], wrap=16, ed=ed),
        facility_type=two_line(links["type_zh"], links["type_en"], wrap=28, ed=ed),
        category=links["category_id"].map(category_labels(ed)),
    )[["category", "facility_type", "type_order", "stage", "stage_order", "coding", "quote_zh"]]
    type_order = list(frame.sort_values("type_order")["facility_type"].unique())
    return stage_matrix_chart(
        frame,
        "facility_type",
        type_order,
        "category",
        category_colour(ed),
        ed.t("Category 类别"),
        [
            alt.Tooltip("facility_type:N", title=ed.t("Facility type")),
            alt.Tooltip("stage:N", title=ed.t("Stage")),
            alt.Tooltip("coding:N", title=ed.t("Link")),
            alt.Tooltip("quote_zh:N", title=ed.t("Paper 原文")),
        ],
        ed=ed,
    )


def network_chart(frame: pd.DataFrame, width: int = 560, height: int = 440, *, ed: Edition) -> alt.LayerChart:
    """Draw a :func:`infraclusters.network.graph_frame`: edges, nodes and two-line labels."""
    stage_label = ed.t("Chain stage 创新链环节")
    frame = frame.assign(
        label=two_line(frame["name_zh"].fillna(""), frame["name_en"].fillna(""), ed=ed),
        category=frame["category_id"].map(category_labels(ed)).fillna(stage_label),
        coding=ed.values(frame["coding"]),
        kind_label=ed.values(frame["kind"]),
    )
    base = alt.Chart(frame)
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.3, 1.3]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.08, 1.08]))
    colours = alt.Scale(
        domain=list(category_labels(ed).values()) + [stage_label],
        range=list(CATEGORY_COLOURS.values()) + [STAGE_COLOUR],
    )
    edges = (
        base.transform_filter("datum.element == 'edge'")
        .mark_line(color="#9a9a9a")
        .encode(
            x=x,
            y=y,
            detail="id:N",
            order="end:Q",
            strokeDash=alt.StrokeDash(
                "coding:N",
                scale=alt.Scale(domain=domain(CODINGS, ed), range=[[1, 0], [4, 3]]),
                title=ed.t("Link 关联"),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeWidth=alt.condition("datum.kind == 'chain'", alt.value(3), alt.value(1)),
        )
    )
    link_tips = edge_hover_targets(
        base,
        x,
        y,
        ["coding", "name_zh", "name_en"],
        tips(
            ed,
            alt.Tooltip("name_zh:N", title=ed.t("中文")),
            alt.Tooltip("name_en:N", title=ed.t("English")),
            alt.Tooltip("coding:N", title=ed.t("Link 关联")),
        ),
        size=200,
    )
    nodes = (
        base.transform_filter("datum.element == 'node'")
        .mark_circle(size=220, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color("category:N", scale=colours, title=ed.t("Node 节点"), legend=alt.Legend(orient="bottom")),
            tooltip=tips(
                ed,
                alt.Tooltip("name_zh:N", title=ed.t("中文")),
                alt.Tooltip("name_en:N", title=ed.t("English")),
                alt.Tooltip("kind_label:N", title=ed.t("Kind")),
            ),
        )
    )
    node_rows = base.transform_filter("datum.element == 'node'")
    # categories to the left, stages to the right, types above their node
    labels = node_labels(
        node_rows,
        x,
        y,
        (("category", "right", -12, "middle"), ("type", "center", 0, "above"), ("stage", "left", 12, "middle")),
        font_size=10.5,
    )
    return alt.layer(edges, link_tips, nodes, *labels).properties(width=width, height=height)


def milestone_chart(milestones: pd.DataFrame, ed: Edition) -> alt.LayerChart:
    """The dated milestones of the concept: one row per milestone, placed on a time axis."""
    frame = milestones.sort_values("year")[["milestone_id", "year", "date_label", "event_zh", "event_en", "actor_en"]]
    frame = frame.assign(actor_en=ed.values(frame["actor_en"]), date_label=ed.values(frame["date_label"]))
    order = list(frame["actor_en"])
    base = alt.Chart(frame).encode(
        x=alt.X(
            "year:Q",
            title=ed.t("Year 年份"),
            scale=alt.Scale(domain=[int(frame["year"].min()) - 5, int(frame["year"].max()) + 12]),
            axis=alt.Axis(format="d", tickMinStep=5),
        ),
        y=alt.Y("actor_en:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        tooltip=tips(
            ed,
            alt.Tooltip("date_label:N", title=ed.t("Date")),
            alt.Tooltip("event_zh:N", title=ed.t("Paper 原文")),
            alt.Tooltip("event_en:N", title=ed.t("English")),
        ),
    )
    points = base.mark_circle(size=140, color=STAGE_COLOUR, opacity=1)
    labels = base.mark_text(fontSize=11, align="left", dx=10).encode(text="date_label:N")
    return (points + labels).properties(width=420, height=alt.Step(34))
