"""Charts: one shared theme and one function per figure.

Every chapter calls :func:`setup` once (the UBC book's "chapter preamble"):
it registers the book's theme and an HTML renderer whose output loads Vega
from the bundle the built site serves, never from a CDN. Chart functions take
the tidy frame they draw and return an Altair chart; titles, captions and
alt text live in :mod:`infraclusters.figures`, which knows every figure.

Chinese text needs a CJK font that vl-convert can find when it exports PNG
and SVG: a missing font makes it drop all text silently, so the theme names
Noto Sans CJK SC explicitly and ends the list with the generic sans-serif.
"""

from __future__ import annotations

import os
import textwrap

import altair as alt
import pandas as pd

from . import i18n
from .i18n import N_, _

FONT = "Noto Sans CJK SC, Noto Sans CJK, Source Han Sans SC, sans-serif"

#: Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
CATEGORY_COLOURS = {"research": "#0072B2", "translation": "#E69F00", "support": "#009E73"}
STAGE_COLOUR = "#555555"
CATEGORY_LABELS = {
    "research": N_("研究类 Research"),
    "translation": N_("成果转化类 Translation"),
    "support": N_("支撑类 Support"),
}
#: How a link is known: stated by the paper, or our reading of it (drawn pale).
CODINGS = (N_("stated"), N_("inferred"))
#: What a facility's year marks, and its status (values of data/facilities.csv).
YEAR_MEANINGS = (
    N_("approval"),
    N_("start of construction"),
    N_("establishment"),
    N_("opening"),
    N_("first operation"),
    N_("national acceptance"),
)
STATUSES = (N_("operating"), N_("under construction"), N_("planned"))
#: Agreement of a public source with the paper (Okabe–Ito, with grey for "not found").
AGREEMENT_COLOURS = {
    N_("agrees"): "#009E73",
    N_("partially agrees"): "#E69F00",
    N_("disagrees"): "#D55E00",
    N_("not found"): "#999999",
}
#: Multi-line labels: "中文|English" split on "|" by Vega's labelExpr and lineBreak.
LINE_BREAK = "|"


def theme() -> dict:
    """The book's Vega-Lite config: fonts, sizes and a quiet grid."""
    return {
        "config": {
            "font": FONT,
            "title": {
                "font": FONT,
                "fontSize": 15,
                "anchor": "start",
                "subtitleFontSize": 12,
                "subtitleColor": "#444444",
            },
            "axis": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "gridColor": "#e6e6e6",
            },
            "legend": {
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "labelLimit": 320,
            },
            "header": {"labelFont": FONT, "titleFont": FONT},
            "text": {"font": FONT, "lineBreak": LINE_BREAK},
            "view": {"stroke": None},
            "background": "white",
        }
    }


#: Set by the book build (see infraclusters.sphinx_ext); chapters executed then
#: emit HTML that relies on the site's bundled Vega and names no CDN at all.
BOOK_BUILD_ENV = "INFRACLUSTERS_BOOK_BUILD"
#: Where Altair's template would look for Vega if the bundle were missing: a
#: relative path inside the site, so a broken bundle fails visibly, offline.
OFFLINE_BASE_URL = "_static/vega-not-bundled"


def setup() -> None:
    """Register the theme and, inside the book build, the offline HTML renderer (call once per chapter).

    Outside the build (a reader's Jupyter session) Altair's own default
    renderer stays in place, so charts display there as usual.
    """
    alt.theme.register("infraclusters", enable=True)(theme)
    if os.environ.get(BOOK_BUILD_ENV):
        alt.renderers.register("infraclusters-html", _safe_html_renderer)
        # No vega-embed action menu: the book links its own downloads under every figure,
        # and the menu's icon-only <summary> has no accessible name.
        alt.renderers.enable("infraclusters-html", base_url=OFFLINE_BASE_URL, embed_options={"actions": False})
    alt.data_transformers.disable_max_rows()


def _safe_html_renderer(spec: dict, **metadata) -> dict:
    """Altair's HTML output with the inlined spec made safe inside its <script> element.

    Altair writes ``json.dumps(spec)`` into a script; a data value containing
    ``</script>`` would end that element early and let the rest run as markup.
    Every ``<`` in the JSON becomes ``\\u003c``: the same JSON, inert in HTML.
    """
    import json

    from altair.vegalite.v6.display import html_renderer

    bundle = html_renderer(spec, **metadata)
    raw = json.dumps(spec)
    bundle["text/html"] = bundle["text/html"].replace(raw, raw.replace("<", "\\u003c"))
    return bundle


def category_labels(lang: str | None = None) -> dict[str, str]:
    """Category id → its label in the edition's language."""
    return {key: _(label, lang) for key, label in CATEGORY_LABELS.items()}


def _category_colour(lang: str | None = None) -> alt.Scale:
    return alt.Scale(domain=list(category_labels(lang).values()), range=list(CATEGORY_COLOURS.values()))


def _domain(values, lang: str) -> list[str]:
    return [_(value, lang) for value in values]


def _tips(lang: str, *tooltips) -> list:
    """Tooltips, without the English-only fields in the Chinese edition."""
    if not i18n.is_chinese(lang):
        return list(tooltips)
    return [tip for tip in tooltips if not str(tip.shorthand).split(":")[0].endswith("_en")]


def two_line(zh: pd.Series, en: pd.Series, wrap: int | None = None, lang: str | None = None) -> pd.Series:
    """Labels "中文|English" that the theme breaks into lines; English wrapped at ``wrap`` characters.

    In the Chinese edition the label is the Chinese alone.
    """
    if i18n.is_chinese(lang):
        return zh
    if wrap:
        en = en.map(lambda text: LINE_BREAK.join(textwrap.wrap(text, wrap, break_long_words=False)))
    return zh + LINE_BREAK + en


def stage_matrix_chart(
    frame: pd.DataFrame,
    row: str,
    row_order: list[str],
    colour: str,
    colour_scale: alt.Scale,
    colour_title: str,
    tooltip: list,
    language: str | None = None,
) -> alt.Chart:
    """Rows (facility types, talent types …) × the chain's stages: a filled cell where a row serves a stage.

    ``frame`` needs ``stage`` (a two-line label), ``stage_order`` and ``coding``:
    stated links are solid, inferred ones (our reading of the paper) pale.
    """
    lang = i18n.language(language)
    stage_order = list(frame.sort_values("stage_order")["stage"].unique())
    frame = frame.assign(coding=i18n.values(frame["coding"], lang))
    return (
        alt.Chart(frame)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=alt.X(
                "stage:N",
                sort=stage_order,
                title=_("Chain stage 创新链环节", lang),
                axis=alt.Axis(labelAngle=0, labelExpr=f"split(datum.label, '{LINE_BREAK}')"),
            ),
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
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            ),
            opacity=alt.Opacity(
                "coding:N",
                scale=alt.Scale(domain=_domain(CODINGS, lang), range=[1.0, 0.45]),
                title=_("Link 关联", lang),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=tooltip,
        )
        .properties(width=400, height=alt.Step(38))
    )


def category_stage_chart(links: pd.DataFrame, language: str | None = None) -> alt.Chart:
    """Facility types (rows, grouped by category) × chain stages: who serves what (§1.3).

    ``links`` is :func:`infraclusters.chain.type_stage_links`.
    """
    lang = i18n.language(language)
    frame = links.assign(
        stage=two_line(links["stage_zh"], links["stage_en"], wrap=16, lang=lang),
        facility_type=two_line(links["type_zh"], links["type_en"], wrap=28, lang=lang),
        category=links["category_id"].map(category_labels(lang)),
    )[["category", "facility_type", "type_order", "stage", "stage_order", "coding", "quote_zh"]]
    type_order = list(frame.sort_values("type_order")["facility_type"].unique())
    return stage_matrix_chart(
        frame,
        "facility_type",
        type_order,
        "category",
        _category_colour(lang),
        _("Category 类别", lang),
        [
            alt.Tooltip("facility_type:N", title=_("Facility type", lang)),
            alt.Tooltip("stage:N", title=_("Stage", lang)),
            alt.Tooltip("coding:N", title=_("Link", lang)),
            alt.Tooltip("quote_zh:N", title=_("Paper 原文", lang)),
        ],
        language=lang,
    )


def talent_stage_chart(links: pd.DataFrame, language: str | None = None) -> alt.Chart:
    """The four talent types of §2.4 × the chain stages they drive."""
    lang = i18n.language(language)
    frame = links.assign(
        stage=two_line(links["stage_zh"], links["stage_en"], wrap=16, lang=lang),
        talent=two_line(links["talent_zh"], links["talent_en"], lang=lang),
        role=_("人才 Talent", lang),
        note_en=i18n.values(links["note_en"], lang),
    )[["talent", "talent_order", "stage", "stage_order", "coding", "role", "quote_zh", "note_en"]]
    order = list(frame.sort_values("talent_order")["talent"].unique())
    return stage_matrix_chart(
        frame,
        "talent",
        order,
        "role",
        alt.Scale(range=["#CC79A7"]),
        "",
        [
            alt.Tooltip("talent:N", title=_("Talent", lang)),
            alt.Tooltip("stage:N", title=_("Stage", lang)),
            alt.Tooltip("coding:N", title=_("Link", lang)),
            alt.Tooltip("quote_zh:N", title=_("Paper 原文", lang)),
            alt.Tooltip("note_en:N", title=_("Reading", lang)),
        ],
        language=lang,
    )


def translation_bridge_chart(frame: pd.DataFrame, stages: pd.DataFrame, language: str | None = None) -> alt.LayerChart:
    """Proof-of-concept centres and pilot bases on the stages they bridge, under sample → product → commodity.

    ``frame`` has one row per mark: ``element`` is ``form`` (a point with its
    name on the stage where the form sits) or ``facility`` (a cell of a bar).
    """
    lang = i18n.language(language)
    frame = frame.assign(
        stage=two_line(frame["stage_zh"], frame["stage_en"], wrap=16, lang=lang),
        note_en=i18n.values(frame["note_en"], lang),
    )
    stage_order = list(two_line(stages["name_zh"], stages["name_en"], wrap=16, lang=lang))  # every stage
    row_order = list(frame.sort_values("row_order")["row"].unique())
    x = alt.X(
        "stage:N",
        sort=stage_order,
        title=_("Chain stage 创新链环节", lang),
        scale=alt.Scale(domain=stage_order),
        axis=alt.Axis(labelAngle=0, labelExpr=f"split(datum.label, '{LINE_BREAK}')"),
    )
    y = alt.Y(
        "row:N",
        sort=row_order,
        title=None,
        axis=alt.Axis(labelLimit=240, labelExpr=f"split(datum.label, '{LINE_BREAK}')"),
    )
    tooltip = [
        alt.Tooltip("row:N", title=_("What", lang)),
        alt.Tooltip("stage:N", title=_("Stage", lang)),
        alt.Tooltip("quote_zh:N", title=_("Paper 原文", lang)),
        alt.Tooltip("note_en:N", title=_("Reading", lang)),
    ]
    base = alt.Chart(frame)
    cells = (
        base.transform_filter("datum.element == 'facility'")
        .mark_rect(color=CATEGORY_COLOURS["translation"], opacity=0.8, stroke="white", strokeWidth=2)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    forms = base.transform_filter("datum.element == 'form'")
    points = forms.mark_circle(size=260, color=STAGE_COLOUR, opacity=1).encode(x=x, y=y, tooltip=tooltip)
    labels = forms.mark_text(fontSize=12, dy=-18).encode(x=x, y=y, text="label:N")
    return alt.layer(cells, points, labels).properties(width=400, height=alt.Step(56))


def stage_profile_chart(profile: pd.DataFrame, by: str, by_title: str, language: str | None = None) -> alt.Chart:
    """How many facilities serve each chain stage, side by side for each ``by`` group.

    Read across a group: a dip in the middle stages is the paper's 两头重、中间轻.
    """
    lang = i18n.language(language)
    frame = profile.assign(stage=two_line(profile["name_zh"], profile["name_en"], wrap=16, lang=lang))[
        [by, "group", "stage", "stage_order", "count"]
    ]
    stage_order = list(frame.sort_values("stage_order")["stage"].unique())
    groups = list(dict.fromkeys(frame["group"]))
    palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(
                "stage:N",
                sort=stage_order,
                title=_("Chain stage 创新链环节", lang),
                axis=alt.Axis(labelAngle=0, labelExpr=f"split(datum.label, '{LINE_BREAK}')"),
            ),
            xOffset=alt.XOffset("group:N", sort=groups),
            y=alt.Y("count:Q", title=_("Facilities serving the stage 设施数", lang), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "group:N",
                sort=groups,
                title=by_title,
                scale=alt.Scale(domain=groups, range=palette[: len(groups)]),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=360),
            ),
            tooltip=[
                alt.Tooltip("group:N", title=by_title),
                alt.Tooltip("stage:N", title=_("Stage", lang)),
                alt.Tooltip("count:Q", title=_("Facilities", lang)),
            ],
        )
        .properties(width=440, height=260)
    )


def mechanism_map_chart(
    frame: pd.DataFrame, width: int = 600, height: int = 500, language: str | None = None
) -> alt.LayerChart:
    """The §2 mechanism map: hover a mechanism to light up its paths to industries of the future."""
    lang = i18n.language(language)
    kinds = {
        "category": _("Infrastructure 基础设施", lang),
        "cluster": _("Cluster 集群", lang),
        "mechanism": _("Mechanism 机制", lang),
        "outcome": _("Outcome 成效", lang),
        "goal": _("Goal 目标", lang),
    }
    frame = frame.assign(
        label=two_line(frame["name_zh"].fillna(""), frame["name_en"].fillna(""), wrap=22, lang=lang),
        node_kind=frame["kind"].map(kinds),
    )
    hover = alt.selection_point(
        name="hover_mechanism", fields=["mechanism"], on="pointerover", clear="pointerout", empty=True
    )
    base = alt.Chart(frame)
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.3, 1.3]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.08, 1.1]))
    mechanisms = sorted(m for m in frame["mechanism"].dropna().unique())
    edge_colours = alt.Scale(domain=mechanisms, range=["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"])
    edges = (
        base.transform_filter("datum.element == 'edge'")
        .mark_line(strokeWidth=2)
        .encode(
            x=x,
            y=y,
            detail="id:N",
            order="end:Q",
            color=alt.condition(hover, alt.Color("mechanism:N", scale=edge_colours, legend=None), alt.value("#dddddd")),
            opacity=alt.condition(hover, alt.value(0.85), alt.value(0.25)),
            tooltip=[
                alt.Tooltip("claim_id:N", title=_("Claim", lang)),
                alt.Tooltip("quote_zh:N", title=_("Paper 原文", lang)),
            ],
        )
    )
    node_colours = alt.Scale(domain=list(kinds.values()), range=["#0072B2", "#56B4E9", "#555555", "#E69F00", "#D55E00"])
    nodes = (
        base.transform_filter("datum.element == 'node'")
        .mark_circle(size=300, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "node_kind:N", scale=node_colours, title=_("Node 节点", lang), legend=alt.Legend(orient="bottom")
            ),
            tooltip=_tips(
                lang,
                alt.Tooltip("heading_zh:N", title=_("论文 Paper", lang)),
                alt.Tooltip("heading_en:N", title=_("English", lang)),
            ),
        )
        .add_params(hover)
    )
    node_rows = base.transform_filter("datum.element == 'node'")
    labels = [
        node_rows.transform_filter(f"datum.kind == '{kind}'")
        .mark_text(
            fontSize=10,
            align=align,
            baseline="middle" if align != "center" else "bottom",
            dx=dx,
            dy=0 if align != "center" else -26,
        )
        .encode(x=x, y=y, text="label:N")
        for kind, align, dx in (
            ("category", "right", -13),
            ("cluster", "center", 0),
            ("mechanism", "center", 0),
            ("outcome", "left", 13),
            ("goal", "left", 13),
        )
    ]
    return alt.layer(edges, nodes, *labels).resolve_scale(color="independent").properties(width=width, height=height)


def network_chart(
    frame: pd.DataFrame, width: int = 560, height: int = 440, language: str | None = None
) -> alt.LayerChart:
    """Draw a :func:`infraclusters.network.graph_frame`: edges, nodes and two-line labels."""
    lang = i18n.language(language)
    stage_label = _("Chain stage 创新链环节", lang)
    frame = frame.assign(
        label=two_line(frame["name_zh"].fillna(""), frame["name_en"].fillna(""), lang=lang),
        category=frame["category_id"].map(category_labels(lang)).fillna(stage_label),
        coding=i18n.values(frame["coding"], lang),
        kind=i18n.values(frame["kind"], lang),
    )
    base = alt.Chart(frame)
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.3, 1.3]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.08, 1.08]))
    colours = alt.Scale(
        domain=list(category_labels(lang).values()) + [stage_label],
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
                scale=alt.Scale(domain=_domain(CODINGS, lang), range=[[1, 0], [4, 3]]),
                title=_("Link 关联", lang),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeWidth=alt.condition("datum.kind == 'chain'", alt.value(3), alt.value(1)),
        )
    )
    nodes = (
        base.transform_filter("datum.element == 'node'")
        .mark_circle(size=220, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "category:N", scale=colours, title=_("Node 节点", lang), legend=alt.Legend(orient="bottom")
            ),
            tooltip=_tips(
                lang,
                alt.Tooltip("name_zh:N", title=_("中文", lang)),
                alt.Tooltip("name_en:N", title=_("English", lang)),
                alt.Tooltip("kind:N", title=_("Kind", lang)),
            ),
        )
    )
    node_rows = base.transform_filter("datum.element == 'node'")
    labels = [  # categories to the left, stages to the right, types above their node
        node_rows.transform_filter(f"datum.kind == '{kind}'")
        .mark_text(
            fontSize=10.5,
            align=align,
            baseline="middle" if align != "center" else "bottom",
            dx=dx,
            dy=0 if align != "center" else -26,
        )
        .encode(x=x, y=y, text="label:N")
        for kind, align, dx in (("category", "right", -12), ("type", "center", 0), ("stage", "left", 12))
    ]
    return alt.layer(edges, nodes, *labels).properties(width=width, height=height)


def milestone_chart(milestones: pd.DataFrame, language: str | None = None) -> alt.LayerChart:
    """The dated milestones of the concept: one row per milestone, placed on a time axis."""
    lang = i18n.language(language)
    frame = milestones.sort_values("year")[["milestone_id", "year", "date_label", "event_zh", "event_en", "actor_en"]]
    frame = frame.assign(
        actor_en=i18n.values(frame["actor_en"], lang), date_label=i18n.values(frame["date_label"], lang)
    )
    order = list(frame["actor_en"])
    base = alt.Chart(frame).encode(
        x=alt.X(
            "year:Q",
            title=_("Year 年份", lang),
            scale=alt.Scale(domain=[int(frame["year"].min()) - 5, int(frame["year"].max()) + 12]),
            axis=alt.Axis(format="d", tickMinStep=5),
        ),
        y=alt.Y("actor_en:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        tooltip=_tips(
            lang,
            alt.Tooltip("date_label:N", title=_("Date", lang)),
            alt.Tooltip("event_zh:N", title=_("Paper 原文", lang)),
            alt.Tooltip("event_en:N", title=_("English", lang)),
        ),
    )
    points = base.mark_circle(size=140, color=STAGE_COLOUR, opacity=1)
    labels = base.mark_text(fontSize=11, align="left", dx=10).encode(text="date_label:N")
    return (points + labels).properties(width=420, height=alt.Step(34))


def factcheck_chart(checks: pd.DataFrame, language: str | None = None) -> alt.Chart:
    """One mark per fact check: the claim (rows, in ledger order) against the agreement found."""
    lang = i18n.language(language)
    frame = checks.assign(
        claim=checks["claim_id"] + "  " + i18n.values(checks["entity"], lang).fillna(""),
        agreement=i18n.values(checks["agreement"], lang),
        paper_value=i18n.values(checks["paper_value"], lang),
        independent_value=i18n.values(checks["independent_value"], lang),
        independent_as_of=i18n.values(checks["independent_as_of"], lang),
    )[
        [
            "check_id",
            "claim_id",
            "claim",
            "agreement",
            "paper_value",
            "independent_value",
            "independent_as_of",
            "source",
        ]
    ]
    claim_order = list(dict.fromkeys(frame["claim"]))
    labels = _domain(AGREEMENT_COLOURS, lang)
    return (
        alt.Chart(frame)
        .mark_square(size=150, opacity=0.9)
        .encode(
            x=alt.X(
                "agreement:N",
                sort=labels,
                title=_("Public source vs the paper 公开来源与论文", lang),
                axis=alt.Axis(labelAngle=0, orient="top"),
            ),
            y=alt.Y("claim:N", sort=claim_order, title=None, axis=alt.Axis(labelLimit=250)),
            xOffset=alt.XOffset("check_id:N"),
            color=alt.Color(
                "agreement:N", scale=alt.Scale(domain=labels, range=list(AGREEMENT_COLOURS.values())), legend=None
            ),
            tooltip=[
                alt.Tooltip("check_id:N", title=_("Check", lang)),
                alt.Tooltip("claim_id:N", title=_("Claim", lang)),
                alt.Tooltip("paper_value:N", title=_("Paper 论文", lang)),
                alt.Tooltip("independent_value:N", title=_("Public source 公开来源", lang)),
                alt.Tooltip("independent_as_of:N", title=_("As of", lang)),
                alt.Tooltip("source:N", title=_("Source", lang)),
            ],
        )
        .properties(width=290, height=alt.Step(17))
    )


ORG_COLOURS = {
    "university": "#56B4E9",
    "research_institute": "#56B4E9",
    "national_laboratory": "#56B4E9",
    "firm": "#CC79A7",
    "government": "#999999",
    "park_operator": "#999999",
    "outside": "#cccccc",
}
GROUP_LABELS = {
    **CATEGORY_LABELS,
    "university": N_("高校院所 University or institute"),
    "research_institute": N_("高校院所 University or institute"),
    "national_laboratory": N_("高校院所 University or institute"),
    "firm": N_("企业 Firm"),
    "government": N_("政府与园区运营 Government or park operator"),
    "park_operator": N_("政府与园区运营 Government or park operator"),
    "outside": N_("集群外 Outside the cluster"),
}


def facility_stage_chart(links: pd.DataFrame, language: str | None = None) -> alt.Chart:
    """One cluster's facilities (rows, grouped by category) on the chain stages their type serves."""
    lang = i18n.language(language)
    frame = links.assign(
        stage=two_line(links["stage_zh"], links["stage_en"], wrap=16, lang=lang),
        facility=two_line(links["name_zh"], links["name_en"].str.slice(0, 60), wrap=34, lang=lang),
        category=links["category_id"].map(category_labels(lang)),
        status=i18n.values(links["status"], lang),
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
        _category_colour(lang),
        _("Category 类别", lang),
        _tips(
            lang,
            alt.Tooltip("facility:N", title=_("Facility 设施", lang)),
            alt.Tooltip("type_zh:N", title=_("Type 类型", lang)),
            alt.Tooltip("type_en:N", title=_("Type", lang)),
            alt.Tooltip("stage:N", title=_("Stage", lang)),
            alt.Tooltip("status:N", title=_("Status", lang)),
            alt.Tooltip("year:Q", title=_("Year", lang)),
        ),
        language=lang,
    ).properties(height=alt.Step(34))


def cluster_network_chart(
    frame: pd.DataFrame, width: int = 560, height: int = 440, language: str | None = None
) -> alt.LayerChart:
    """A cluster's facilities, organisations and their documented relations."""
    lang = i18n.language(language)
    group_labels = {key: _(label, lang) for key, label in GROUP_LABELS.items()}
    frame = frame.assign(
        group_label=frame["group"].map(group_labels),
        label=frame["name_zh"].fillna("").map(lambda t: t if len(t) <= 12 else t[:11] + "…"),
        relation=i18n.values(frame["relation"], lang) if "relation" in frame else None,
        detail=i18n.values(frame["detail"], lang) if "detail" in frame else None,
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
            tooltip=_tips(
                lang,
                alt.Tooltip("relation:N", title=_("Relation 关系", lang)),
                alt.Tooltip("name_en:N", title=_("Between", lang)),
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
                title=_("Node 节点", lang),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=300),
            ),
            tooltip=_tips(
                lang,
                alt.Tooltip("name_zh:N", title=_("中文", lang)),
                alt.Tooltip("name_en:N", title=_("English", lang)),
                alt.Tooltip("detail:N", title=_("Kind", lang)),
            ),
        )
    )
    labels = (
        base.transform_filter("datum.element == 'node'").mark_text(fontSize=10, dy=-13).encode(x=x, y=y, text="label:N")
    )
    return alt.layer(edges, nodes, labels).properties(width=width, height=height)


def timeline_chart(
    frame: pd.DataFrame, row: str = "facility", colour: str = "year_meaning", language: str | None = None
) -> alt.Chart:
    """Facilities on a time axis, one row each, coloured by what the year marks."""
    lang = i18n.language(language)
    meanings = _domain(YEAR_MEANINGS, lang)
    palette = ["#999999", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00"]
    label = frame["name_zh"] if i18n.is_chinese(lang) else frame["name_zh"] + " " + frame["name_en"].str.slice(0, 48)
    frame = frame.assign(
        facility=label,
        year_meaning=i18n.values(frame["year_meaning"], lang),
        status=i18n.values(frame["status"], lang),
    )[["facility", "facility_id", "cluster", "year", "year_meaning", "status"]]
    order = list(frame.sort_values(["year", "facility_id"])[row])
    return (
        alt.Chart(frame)
        .mark_point(size=110, filled=True, opacity=1)
        .encode(
            x=alt.X(
                "year:Q", title=_("Year 年份", lang), scale=alt.Scale(zero=False, padding=12), axis=alt.Axis(format="d")
            ),
            y=alt.Y(f"{row}:N", sort=order, title=None, axis=alt.Axis(labelLimit=340)),
            color=alt.Color(
                f"{colour}:N",
                title=_("The year marks 年份含义", lang),
                scale=alt.Scale(domain=meanings, range=palette),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            shape=alt.Shape(
                "status:N",
                title=_("Status 状态", lang),
                scale=alt.Scale(domain=_domain(STATUSES, lang), range=["circle", "triangle-up", "square"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("facility:N", title=_("Facility", lang)),
                alt.Tooltip("year:Q", title=_("Year", lang)),
                alt.Tooltip("year_meaning:N", title=_("Marks", lang)),
                alt.Tooltip("status:N", title=_("Status", lang)),
            ],
        )
        .properties(width=380, height=alt.Step(22))
    )


def coverage_chart(frame: pd.DataFrame, language: str | None = None) -> alt.Chart:
    """Documented facilities per cluster, stacked by infrastructure category."""
    lang = i18n.language(language)
    frame = frame.assign(category=frame["category_id"].map(category_labels(lang)))
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("cluster:N", sort=list(dict.fromkeys(frame["cluster"])), title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("facilities:Q", title=_("Documented facilities 设施数", lang), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "category:N",
                scale=_category_colour(lang),
                title=_("Category 类别", lang),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("category_order:Q"),
            tooltip=[
                alt.Tooltip("cluster:N", title=_("Cluster", lang)),
                alt.Tooltip("category:N", title=_("Category", lang)),
                alt.Tooltip("facilities:Q", title=_("Facilities", lang)),
                alt.Tooltip("stage_coverage:Q", title=_("Share of chain stages covered", lang), format=".0%"),
            ],
        )
        .properties(width=380, height=alt.Step(40))
    )


def locator_chart(frame: pd.DataFrame, language: str | None = None) -> alt.LayerChart:
    """Where the science cities are: their coordinates only, no boundaries of any kind."""
    lang = i18n.language(language)
    frame = frame.assign(coordinate_note=i18n.values(frame["coordinate_note"], lang))
    base = alt.Chart(frame).encode(
        x=alt.X("longitude:Q", title=_("Longitude 经度 (°E)", lang), scale=alt.Scale(zero=False, padding=40)),
        y=alt.Y("latitude:Q", title=_("Latitude 纬度 (°N)", lang), scale=alt.Scale(zero=False, padding=40)),
        tooltip=[
            alt.Tooltip("label:N", title=_("Science city", lang)),
            alt.Tooltip("longitude:Q", format=".4f"),
            alt.Tooltip("latitude:Q", format=".4f"),
            alt.Tooltip("coordinate_note:N", title=_("What the point marks", lang)),
        ],
    )
    points = base.mark_circle(size=180, color=STAGE_COLOUR, opacity=1)
    labels = base.mark_text(align="left", dx=10, fontSize=11).encode(text="label:N")
    return (points + labels).properties(width=360, height=300)


def cluster_timeline_chart(frame: pd.DataFrame, language: str | None = None) -> alt.Chart:
    """Dated facilities of every cluster on one time axis, one row per cluster."""
    lang = i18n.language(language)
    meanings = _domain(YEAR_MEANINGS, lang)
    palette = ["#999999", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00"]
    frame = frame.assign(
        facility=frame["name_zh"] if i18n.is_chinese(lang) else frame["name_zh"] + " " + frame["name_en"],
        year_meaning=i18n.values(frame["year_meaning"], lang),
        status=i18n.values(frame["status"], lang),
    )[["cluster", "facility", "year", "year_meaning", "status"]]
    return (
        alt.Chart(frame)
        .mark_point(size=120, filled=True, opacity=0.85)
        .encode(
            x=alt.X(
                "year:Q", title=_("Year 年份", lang), scale=alt.Scale(zero=False, padding=12), axis=alt.Axis(format="d")
            ),
            y=alt.Y("cluster:N", sort=list(dict.fromkeys(frame["cluster"])), title=None, axis=alt.Axis(labelLimit=320)),
            yOffset=alt.YOffset("year_meaning:N", sort=meanings),
            color=alt.Color(
                "year_meaning:N",
                title=_("The year marks 年份含义", lang),
                scale=alt.Scale(domain=meanings, range=palette),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            tooltip=[
                alt.Tooltip("facility:N", title=_("Facility", lang)),
                alt.Tooltip("year:Q", title=_("Year", lang)),
                alt.Tooltip("year_meaning:N", title=_("Marks", lang)),
                alt.Tooltip("status:N", title=_("Status", lang)),
            ],
        )
        .properties(width=420, height=80 * max(frame["cluster"].nunique(), 1))
    )


def recommendation_matrix_chart(table: pd.DataFrame, language: str | None = None) -> alt.Chart:
    """Recommendations (rows) × the problems they answer and the mechanisms they strengthen (columns)."""
    lang = i18n.language(language)
    kinds = {"problem": _("问题 Problem (introduction)", lang), "mechanism": _("机制 Mechanism (§2)", lang)}
    linked = _("linked 关联", lang)
    frame = table.assign(
        recommendation=i18n.both(table["short_zh"], table["short_en"], lang),
        target=two_line(table["name_zh"], table["name_en"], wrap=11, lang=lang),
        target_kind=table["kind"].map(kinds),
        link=table["linked"].map({True: linked, False: _("no link 无", lang)}),
        rationale_en=i18n.values(table["rationale_en"], lang),
    )[
        [
            "recommendation",
            "rec_order",
            "target",
            "target_order",
            "target_kind",
            "link",
            "claim_id",
            "quote_zh",
            "rationale_en",
        ]
    ]
    rec_order = list(frame.sort_values("rec_order")["recommendation"].unique())
    target_order = list(frame.sort_values("target_order")["target"].unique())
    return (
        alt.Chart(frame)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=alt.X(
                "target:N",
                sort=target_order,
                title=None,
                axis=alt.Axis(labelAngle=0, labelExpr=f"split(datum.label, '{LINE_BREAK}')"),
            ),
            y=alt.Y("recommendation:N", sort=rec_order, title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.condition(
                f"datum.link == '{linked}'",
                alt.Color(
                    "target_kind:N",
                    title=_("Answers 回应", lang),
                    scale=alt.Scale(domain=list(kinds.values()), range=["#D55E00", "#0072B2"]),
                    legend=alt.Legend(orient="bottom"),
                ),
                alt.value("#f0f0f0"),
            ),
            tooltip=[
                alt.Tooltip("recommendation:N", title=_("Recommendation", lang)),
                alt.Tooltip("target:N", title=_("Answers", lang)),
                alt.Tooltip("claim_id:N", title=_("Claim", lang)),
                alt.Tooltip("quote_zh:N", title=_("Paper 原文", lang)),
                alt.Tooltip("rationale_en:N", title=_("Our reading", lang)),
            ],
        )
        .properties(width=alt.Step(78), height=alt.Step(40))
    )
