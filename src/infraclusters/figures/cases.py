"""Figures drawn once per case cluster (§3): its chain map, its network, its timeline."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..edition import Edition
from ..model import graphs
from .marks import (
    CATEGORY_COLOURS,
    GROUP_LABELS,
    ORG_COLOURS,
    STATUSES,
    YEAR_MEANINGS,
    category_colour,
    category_labels,
    domain,
    stage_matrix_chart,
    tips,
    two_line,
)
from .registry import case_figure


@case_figure(
    "chain-map",
    title_en="{name_en}: its infrastructure on the chain",
    title_zh="{name_zh}：创新基础设施在创新链上的分布",
    caption=(
        "The {n_facilities} facilities of this book's inventory for {name_en}, grouped by category, on "
        "the chain stages their §1.3 type serves (solid: stated by the paper for the type; pale: our "
        "reading). Together they cover {coverage} of the chain's stages. The inventory is partial: "
        "only facilities a public page documents."
    ),
    alt=(
        "A grid with the chain's stages as columns and the cluster's {n_facilities} facilities as rows, "
        "coloured by category; a filled cell marks a stage the facility's type serves."
    ),
    sources=("paper §3", "data/facilities.csv", "data/type_stages.csv"),
)
def _case_chain_map(cluster, ed):
    c = cluster.compendium
    names = c.type_links[["type_id", "type_zh", "type_en", "category_order"]].drop_duplicates("type_id")
    stages = c.stages[["stage_id", "name_zh", "name_en"]].rename(columns={"name_zh": "stage_zh", "name_en": "stage_en"})
    return facility_stage_chart(cluster.stage_links.merge(names, on="type_id").merge(stages, on="stage_id"), ed=ed)


@case_figure(
    "network",
    title_en="{name_en}: facilities, organisations and their relations",
    title_zh="{name_zh}：设施、机构及其关系网络",
    caption=(
        "The cluster as a network (networkx; organisations on the inner ring, facilities on the outer): "
        "{n_facilities} facilities coloured by category, {n_organisations} organisations, and the "
        "{n_relations} documented relations between them (hosts, builds, operates, serves, part of, "
        "spun off from), each from the paper or a public page."
    ),
    alt=(
        "A network of the cluster's {n_facilities} facilities and {n_organisations} organisations joined "
        "by {n_relations} relation lines; hover a node for its name and kind, a line for the relation."
    ),
    sources=("paper §3", "data/facilities.csv", "data/organisations.csv", "data/relations.csv"),
)
def _case_network(cluster, ed):
    graph = cluster.graph
    return cluster_network_chart(graphs.cluster_frame(graph, graphs.shell_positions(graph)), ed=ed)


@case_figure(
    "timeline",
    title_en="{name_en}: when its facilities came",
    title_zh="{name_zh}：创新基础设施建设时间线",
    caption=(
        "The {n_dated} facilities of the cluster for which a public page gives a year, by that year; the "
        "colour says what the year marks (approval, start of construction, establishment, opening, first "
        "operation, national acceptance), the shape the facility's status."
    ),
    alt=(
        "A time axis with one row per dated facility ({n_dated} in all), each a mark at its year, "
        "coloured by what the year marks."
    ),
    sources=("data/facilities.csv",),
)
def _case_timeline(cluster, ed):
    return timeline_chart(cluster.timeline.assign(cluster=cluster.id), ed=ed)


def facility_stage_chart(links: pd.DataFrame, ed: Edition) -> alt.Chart:
    """One cluster's facilities (rows, grouped by category) on the chain stages their type serves."""
    frame = links.assign(
        stage=two_line(links["stage_zh"], links["stage_en"], wrap=16, ed=ed),
        facility=two_line(links["name_zh"], links["name_en"].str.slice(0, 60), wrap=34, ed=ed),
        category=links["category_id"].map(category_labels(ed)),
        status=ed.values(links["status"]),
    )[
        [
            "facility",
            "facility_id",
            "category",
            "category_order",
            "type_zh",
            "type_en",
            "stage",
            "stage_order",
            "coding",
            "status",
            "year",
        ]
    ]
    order = list(frame.sort_values(["category_order", "facility_id"])["facility"].unique())
    return stage_matrix_chart(
        frame,
        "facility",
        order,
        "category",
        category_colour(ed),
        ed.t("Category 类别"),
        tips(
            ed,
            alt.Tooltip("facility:N", title=ed.t("Facility 设施")),
            alt.Tooltip("type_zh:N", title=ed.t("Type 类型")),
            alt.Tooltip("type_en:N", title=ed.t("Type")),
            alt.Tooltip("stage:N", title=ed.t("Stage")),
            alt.Tooltip("status:N", title=ed.t("Status")),
            alt.Tooltip("year:Q", title=ed.t("Year")),
        ),
        ed=ed,
    ).properties(height=alt.Step(34))


def cluster_network_chart(frame: pd.DataFrame, width: int = 560, height: int = 440, *, ed: Edition) -> alt.LayerChart:
    """A cluster's facilities, organisations and their documented relations."""
    group_labels = {key: ed.t(label) for key, label in GROUP_LABELS.items()}
    frame = frame.assign(
        group_label=frame["group"].map(group_labels),
        label=frame["name_zh"].fillna("").map(lambda t: t if len(t) <= 12 else t[:11] + "…"),
        relation=ed.values(frame["relation"]) if "relation" in frame else None,
        detail=ed.values(frame["detail"]) if "detail" in frame else None,
    )
    groups = list(dict.fromkeys(group_labels.values()))
    colours = {
        **{group_labels[k]: v for k, v in CATEGORY_COLOURS.items()},
        **{group_labels[k]: v for k, v in ORG_COLOURS.items()},
    }
    scale = alt.Scale(domain=groups, range=[colours[g] for g in groups])
    base = alt.Chart(frame)
    x = alt.X("x:Q", axis=None, scale=alt.Scale(zero=False, padding=60))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(zero=False, padding=24))
    edges = (
        base.transform_filter("datum.element == 'edge'")
        .mark_line(color="#9a9a9a", strokeWidth=1.2)
        .encode(
            x=x,
            y=y,
            detail="id:N",
            order="end:Q",
            tooltip=tips(
                ed,
                alt.Tooltip("relation:N", title=ed.t("Relation 关系")),
                alt.Tooltip("name_en:N", title=ed.t("Between")),
            ),
        )
    )
    nodes = (
        base.transform_filter("datum.element == 'node'")
        .mark_circle(size=240, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "group_label:N",
                scale=scale,
                title=ed.t("Node 节点"),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=300),
            ),
            tooltip=tips(
                ed,
                alt.Tooltip("name_zh:N", title=ed.t("中文")),
                alt.Tooltip("name_en:N", title=ed.t("English")),
                alt.Tooltip("detail:N", title=ed.t("Kind")),
            ),
        )
    )
    labels = (
        base.transform_filter("datum.element == 'node'").mark_text(fontSize=10, dy=-13).encode(x=x, y=y, text="label:N")
    )
    return alt.layer(edges, nodes, labels).properties(width=width, height=height)


def timeline_chart(
    frame: pd.DataFrame, row: str = "facility", colour: str = "year_meaning", *, ed: Edition
) -> alt.Chart:
    """Facilities on a time axis, one row each, coloured by what the year marks."""
    meanings = domain(YEAR_MEANINGS, ed)
    palette = ["#999999", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00"]
    label = frame["name_zh"] if ed.is_chinese else frame["name_zh"] + " " + frame["name_en"].str.slice(0, 48)
    frame = frame.assign(
        facility=label,
        year_meaning=ed.values(frame["year_meaning"]),
        status=ed.values(frame["status"]),
    )[["facility", "facility_id", "cluster", "year", "year_meaning", "status"]]
    order = list(frame.sort_values(["year", "facility_id"])[row])
    return (
        alt.Chart(frame)
        .mark_point(size=110, filled=True, opacity=1)
        .encode(
            x=alt.X(
                "year:Q", title=ed.t("Year 年份"), scale=alt.Scale(zero=False, padding=12), axis=alt.Axis(format="d")
            ),
            y=alt.Y(f"{row}:N", sort=order, title=None, axis=alt.Axis(labelLimit=340)),
            color=alt.Color(
                f"{colour}:N",
                title=ed.t("The year marks 年份含义"),
                scale=alt.Scale(domain=meanings, range=palette),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            shape=alt.Shape(
                "status:N",
                title=ed.t("Status 状态"),
                scale=alt.Scale(domain=domain(STATUSES, ed), range=["circle", "triangle-up", "square"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("facility:N", title=ed.t("Facility")),
                alt.Tooltip("year:Q", title=ed.t("Year")),
                alt.Tooltip("year_meaning:N", title=ed.t("Marks")),
                alt.Tooltip("status:N", title=ed.t("Status")),
            ],
        )
        .properties(width=380, height=alt.Step(22))
    )
