"""Figures of the comparison chapter (§3): the clusters side by side, on one time axis, and located."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..edition import Edition
from ..model import clusters
from .marks import PHASE_COLOURS, STAGE_COLOUR, YEAR_PHASES, category_colour, category_labels, domain
from .registry import figure


@figure(
    "fig-compare-coverage",
    title_en="The case clusters side by side: documented infrastructure by category",
    title_zh="各科学城创新基础设施对比",
    caption=(
        "For each case cluster, the facilities of its inventory by §1.3 category (point at or tap a "
        "bar for the share of the chain's stages they cover; the CSV data lists it). The inventory is partial and unequal: it counts what "
        "public pages document, which differs from city to city."
    ),
    alt="Horizontal stacked bars, one per cluster, split into research, translation and support facilities.",
    sources=("paper §3", "data/facilities.csv", "data/clusters.csv"),
    chapter="chapters/comparison",
    claims=("C3-01",),
)
def _compare_coverage(c, ed):
    table = clusters.comparison(c)
    table = table.assign(cluster=ed.both(table["name_zh"], table["name_en"]))
    columns = ["cluster_id", "cluster", "category_id", "category_order", "facilities", "stage_coverage"]
    return coverage_chart(table[columns], ed=ed)


@figure(
    "fig-compare-timeline",
    title_en="When the case clusters' facilities came",
    title_zh="各科学城创新基础设施建设时间线",
    caption=(
        "Every dated facility of the clusters on one time axis; colour says the phase the year marks (decided, "
        "being built, in operation; the tooltip gives the event). "
        "Facilities without a year on a public page are not shown."
    ),
    alt="One row per cluster with a mark for each dated facility at its year, coloured by the phase the year marks.",
    sources=("data/facilities.csv", "data/clusters.csv"),
    chapter="chapters/comparison",
)
def _compare_timeline(c, ed):
    table = clusters.all_timelines(c)
    table = table.assign(cluster=ed.both(table["cluster_zh"], table["cluster_en"]))
    return cluster_timeline_chart(table.drop(columns=["cluster_zh", "cluster_en"]), ed=ed)


@figure(
    "fig-compare-locator",
    title_en="Where the science cities are",
    title_zh="科学城位置示意",
    caption=(
        "The science cities placed by the coordinates a cited page gives, on plain longitude and latitude "
        "axes, with no country or province boundaries (a boundary map needs an approved standard map to be "
        "usable in Chinese publications). A point may mark a landmark inside the science city rather than "
        "its centre: point at or tap it, or see the CSV data, for what it marks. A cluster without coordinates on a public page is not placed."
    ),
    alt="A scatter of longitude against latitude with a labelled point for each science city that has sourced coordinates.",
    sources=("data/clusters.csv",),
    chapter="chapters/comparison",
)
def _compare_locator(c, ed):
    located = clusters.locations(c)
    located = located.assign(label=ed.both(located["name_zh"], located["name_en"]))
    columns = ["cluster_id", "label", "longitude", "latitude", "coordinate_note", "coordinate_note_zh"]
    return locator_chart(located[[c for c in columns if c in located]], ed=ed)


def coverage_chart(frame: pd.DataFrame, ed: Edition) -> alt.Chart:
    """Documented facilities per cluster, stacked by infrastructure category."""
    frame = frame.assign(category=frame["category_id"].map(category_labels(ed)))
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("cluster:N", sort=list(dict.fromkeys(frame["cluster"])), title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("facilities:Q", title=ed.t("Documented facilities 设施数"), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "category:N",
                scale=category_colour(ed),
                title=ed.t("Category 类别"),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("category_order:Q"),
            tooltip=[
                alt.Tooltip("cluster:N", title=ed.t("Cluster")),
                alt.Tooltip("category:N", title=ed.t("Category")),
                alt.Tooltip("facilities:Q", title=ed.t("Facilities")),
                alt.Tooltip("stage_coverage:Q", title=ed.t("Share of chain stages covered"), format=".0%"),
            ],
        )
        .properties(width=380, height=alt.Step(40))
    )


def locator_chart(frame: pd.DataFrame, ed: Edition) -> alt.LayerChart:
    """Where the science cities are: their coordinates only, no boundaries of any kind."""
    frame = frame.assign(coordinate_note=ed.notes(frame, "coordinate_note"))
    base = alt.Chart(frame).encode(
        x=alt.X("longitude:Q", title=ed.t("Longitude 经度 (°E)"), scale=alt.Scale(zero=False, padding=40)),
        y=alt.Y("latitude:Q", title=ed.t("Latitude 纬度 (°N)"), scale=alt.Scale(zero=False, padding=40)),
        tooltip=[
            alt.Tooltip("label:N", title=ed.t("Science city")),
            alt.Tooltip("longitude:Q", format=".4f"),
            alt.Tooltip("latitude:Q", format=".4f"),
            alt.Tooltip("coordinate_note:N", title=ed.t("What the point marks")),
        ],
    )
    points = base.mark_circle(size=180, color=STAGE_COLOUR, opacity=1)
    labels = base.mark_text(align="left", dx=10, fontSize=11).encode(text="label:N")
    return (points + labels).properties(width=360, height=300)


def cluster_timeline_chart(frame: pd.DataFrame, ed: Edition) -> alt.Chart:
    """Dated facilities of every cluster on one time axis, one row per cluster."""
    phases = domain(PHASE_COLOURS, ed)
    frame = frame.assign(
        facility=frame["name_zh"] if ed.is_chinese else frame["name_zh"] + " " + frame["name_en"],
        phase=ed.values(frame["year_meaning"].map(YEAR_PHASES)),
        year_meaning=ed.values(frame["year_meaning"]),
        status=ed.values(frame["status"]),
    )[["cluster", "facility", "year", "phase", "year_meaning", "status"]]
    return (
        alt.Chart(frame)
        .mark_point(size=120, filled=True, opacity=0.85)
        .encode(
            x=alt.X(
                "year:Q", title=ed.t("Year 年份"), scale=alt.Scale(zero=False, padding=12), axis=alt.Axis(format="d")
            ),
            y=alt.Y("cluster:N", sort=list(dict.fromkeys(frame["cluster"])), title=None, axis=alt.Axis(labelLimit=320)),
            yOffset=alt.YOffset("phase:N", sort=phases),
            color=alt.Color(
                "phase:N",
                title=ed.t("The year marks 年份含义"),
                scale=alt.Scale(domain=phases, range=list(PHASE_COLOURS.values())),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            tooltip=[
                alt.Tooltip("facility:N", title=ed.t("Facility")),
                alt.Tooltip("year:Q", title=ed.t("Year")),
                alt.Tooltip("year_meaning:N", title=ed.t("Marks")),
                alt.Tooltip("status:N", title=ed.t("Status")),
            ],
        )
        .properties(width=420, height=80 * max(frame["cluster"].nunique(), 1))
    )
