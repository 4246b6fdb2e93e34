"""Figures of the national panel: how complete it is, and where the national facilities are."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..edition import N_, Edition
from ..model import panel
from ..text.panel import FIELD_LABELS, QUALIFIERS
from .registry import figure

#: The plan's seven fields and "no field", in FIELD_LABELS' order, in colours that stay apart for colour-blind
#: readers (Okabe–Ito).
FIELD_COLOURS = ("#E69F00", "#009E73", "#56B4E9", "#0072B2", "#CC79A7", "#000000", "#D55E00", "#BBBBBB")
MEASURE_LABELS = {
    "laid_out": N_("Laid out (planned or built) 布局建设"),
    "built_and_building": N_("Built and being built 在建和运行"),
    "operating": N_("Operating 运行"),
}


@figure(
    "fig-panel-completeness",
    title_en="How much of the national count the panel holds",
    title_zh="本书面板占全国官方数量的比例",
    caption=(
        "For each latest official count of national major S&T infrastructure facilities (dark; its date and "
        "wording in the tooltip), the facilities of this book's panel that public pages name or show passing "
        "the national steps (light): all of them against those laid out, those operating or being built, and "
        "those operating. A gap is what the panel lacks, not what the country lacks."
    ),
    alt="Paired horizontal bars for three measures, the official count beside the panel's count.",
    sources=("data/panel_counts.csv", "data/panel_facilities.csv"),
    chapter="chapters/panel",
)
def _panel_completeness(c, ed):
    frame = panel.completeness(c)
    return completeness_chart(frame, ed=ed)


def completeness_chart(frame: pd.DataFrame, ed: Edition) -> alt.Chart:
    """The official counts and the panel's, side by side, one pair of bars per measure."""
    official, mine = ed.t("Official count 官方数量"), ed.t("This book's panel 本书面板")
    rows = []
    for r in frame.itertuples():
        measure = ed.t(MEASURE_LABELS[r.measure])
        stated = f"{ed.t(QUALIFIERS[r.qualifier])}{r.value}"
        rows.append({"measure": measure, "who": official, "n": r.value, "label": stated, "as_of": r.as_of})
        rows.append({"measure": measure, "who": mine, "n": r.panel, "label": f"{r.panel} ({r.share:.0%})", "as_of": ""})
    data = pd.DataFrame(rows)
    order = [ed.t(MEASURE_LABELS[m]) for m in frame["measure"]]
    base = alt.Chart(data).encode(
        y=alt.Y("measure:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("who:N", sort=[official, mine]),
        x=alt.X("n:Q", title=ed.t("Facilities 设施数"), axis=alt.Axis(tickMinStep=1)),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "who:N",
            scale=alt.Scale(domain=[official, mine], range=["#0072B2", "#9ECAE9"]),
            title=None,
            legend=alt.Legend(orient="bottom", direction="vertical"),
        ),
        tooltip=[
            alt.Tooltip("measure:N", title=ed.t("Measure")),
            alt.Tooltip("who:N", title=ed.t("Count")),
            alt.Tooltip("label:N", title=ed.t("Value")),
            alt.Tooltip("as_of:N", title=ed.t("As of")),
        ],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(text="label:N")
    return (bars + labels).properties(width=420, height=alt.Step(22))


@figure(
    "fig-panel-cities",
    title_en="Where the national facilities are: sites per city, by field",
    title_zh="国家重大科技基础设施的分布：各城市设施数（按领域）",
    caption=(
        "Every host city of the panel's national facilities (named so by a page, or shown passing the national "
        "steps), with its sites coloured by the field of the national plan 2012–2030 (assigned by the book "
        "where no page states it: see the chapter); the cities of the paper's three cases are marked. A "
        "facility built in two cities counts in each; networks without one site are left out."
    ),
    alt="Horizontal stacked bars, one per city, longest first, split into the plan's seven fields.",
    sources=("data/panel_facilities.csv", "data/panel_centres.csv", "paper §3"),
    chapter="chapters/panel",
)
def _panel_cities(c, ed):
    return cities_chart(panel.places(c), ed=ed)


def cities_chart(places: pd.DataFrame, ed: Edition) -> alt.Chart:
    """Sites per city stacked by field; a case's city is labelled with its section of the paper."""
    case_mark = ed.t("case")
    keys = list(FIELD_LABELS)
    rows = []
    for r in places.itertuples():
        name = r.city_zh if ed.is_chinese else f"{r.city_en} {r.city_zh}"
        if r.case:
            name = f"{name} ★ {case_mark}"
        for order, key in enumerate(keys):
            n = getattr(r, key)
            if n:
                rows.append(
                    {"city": name, "field": ed.t(FIELD_LABELS[key]), "order": order, "sites": n, "total": r.sites}
                )
    data = pd.DataFrame(rows, columns=["city", "field", "order", "sites", "total"])
    cities = list(dict.fromkeys(data["city"]))
    labels = [ed.t(FIELD_LABELS[k]) for k in keys]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("city:N", sort=cities, title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("sites:Q", title=ed.t("Facility sites 设施数"), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "field:N",
                scale=alt.Scale(domain=labels, range=list(FIELD_COLOURS)),
                title=ed.t("Field of the national plan 规划领域"),
                legend=alt.Legend(orient="bottom", columns=2, titleLimit=480),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("city:N", title=ed.t("City")),
                alt.Tooltip("field:N", title=ed.t("Field")),
                alt.Tooltip("sites:Q", title=ed.t("Sites in this field")),
                alt.Tooltip("total:Q", title=ed.t("Sites in the city")),
            ],
        )
        .properties(width=400, height=alt.Step(18))
    )
