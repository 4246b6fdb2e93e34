"""Figures of the mechanisms chapter (§2): the mechanism map, the translation bridge, talent, and the stage profile."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..edition import Edition
from ..model import chain, graphs, roles
from .marks import (
    CATEGORY_COLOURS,
    GROUP_PALETTE,
    STAGE_COLOUR,
    edge_hover_targets,
    node_labels,
    one_line,
    stage_axis,
    stage_matrix_chart,
    tips,
    two_line,
)
from .registry import figure
from .theme import LINE_BREAK


@figure(
    "fig-mechanism-map",
    title_en="How innovation infrastructure clusters foster industries of the future",
    title_zh="创新基础设施集群支撑未来产业发展的作用机制",
    caption=(
        "The five mechanisms of §2 as a directed graph (networkx), drawn left to right: the infrastructure "
        "categories, the cluster they form, the mechanisms, their outcomes, and industries of the future. "
        "The cluster is the actor of every mechanism, as the paper writes (创新基础设施集群…). "
        "Every link is a sentence of the paper (point at or tap a line for the claim and its Chinese; the CSV data lists "
        "them). Point at or tap a mechanism to light up its paths: from the categories the paper credits with it only "
        "(data/mechanism_credits.csv; translation infrastructure alone carries 2.2)."
    ),
    alt=(
        "A left-to-right network. The three infrastructure categories on the left form the cluster, "
        "which drives the five mechanisms; each mechanism leads to one outcome (source "
        "technologies, sample to commodity, leading firms, a talent base, pilot zones); every outcome "
        "leads to industries of the future on the right, and talent also feeds translation and firms."
    ),
    sources=(
        "paper §2",
        "data/mechanism_nodes.csv",
        "data/mechanism_edges.csv",
        "data/mechanism_credits.csv",
        "data/claims.csv",
    ),
    chapter="chapters/mechanisms",
    claims=(
        "C1.3-03",
        "C2.1-07",
        "C2.1-08",
        "C2.2-04",
        "C2.2-11",
        "C2.2-12",
        "C2.3-01",
        "C2.3-05",
        "C2.3-07",
        "C2.3-09",
        "C2.4-01",
        "C2.4-04",
        "C2.4-05",
        "C2.4-07",
        "C2.5-06",
        "C2.5-08",
        "C0-09",
    ),
)
def _mechanism_map(c, ed):
    graph = c.mechanism_graph
    layout = graphs.mechanism_layout(graph)
    return mechanism_map_chart(graphs.mechanism_frame(graph, layout), ed=ed)


@figure(
    "fig-translation-bridge",
    title_en="Bridging the valley of death: from sample to commodity",
    title_zh="跨越“死亡谷”：从“样品”到“商品”",
    caption=(
        "The forms a research result takes on its way to market (§2.2), placed on the chain stage where "
        "the paper's wording puts them, and the two kinds of translation infrastructure the paper says "
        "bridge them: proof-of-concept centres in the early stage of translation, pilot bases in its "
        "middle and late stages. All placements are our reading of the quoted sentences."
    ),
    alt=(
        "Four chain stages as columns. A top row marks sample at applied basic research, product at "
        "industrial technology research and commodity at industrial transformation. Below, "
        "proof-of-concept centres span applied basic and industrial technology research, and pilot "
        "bases span industrial technology research and industrial transformation."
    ),
    sources=("paper §2.2", "paper §2.4", "data/product_forms.csv", "data/type_stages.csv"),
    chapter="chapters/mechanisms",
    claims=("C2.2-01", "C2.2-13", "C2.2-14"),
)
def _translation_bridge(c, ed):
    frame = chain.translation_bridge(c)
    forms = frame["element"] == "form"
    names = ed.both(frame["name_zh"], frame["name_en"])
    frame = frame.assign(
        row=two_line(frame["row_zh"], frame["row_en"], ed=ed),  # the Chinese edition: the Chinese alone
        label=names.where(forms, ""),
    )
    columns = ["element", "row", "row_order", "label", "stage_id", "stage_order", "stage_zh", "stage_en"]
    return translation_bridge_chart(frame[columns + ["quote_zh", "note_en"]], c.stages, ed=ed)


@figure(
    "fig-talent-stages",
    title_en="Four kinds of talent along the whole chain",
    title_zh="四类人才与全链条各环节",
    caption=(
        "The talent types §2.4 names, each placed on the chain stages its described role drives: "
        "strategic scientists lead technological direction, engineers take technology from sample to "
        "product, entrepreneurs turn results into productive forces, managers renew institutions. The "
        "placements are our reading of those sentences (pale cells)."
    ),
    alt=(
        "A grid of four talent types by four chain stages. Strategic scientists cover the two research "
        "stages, engineers applied basic and industrial technology research, entrepreneurs industrial "
        "technology research and industrial transformation, managers all four stages."
    ),
    sources=("paper §2.4", "data/talent_types.csv", "data/talent_stages.csv"),
    chapter="chapters/mechanisms",
    claims=("C2.4-02", "C2.4-03", "C2.4-04", "C2.4-05", "C2.4-06"),
)
def _talent_stages(c, ed):
    return talent_stage_chart(chain.talent_stage_links(c), ed=ed)


@figure(
    "fig-stage-profile",
    title_en="How many entities the evidence places at each stage of the chain",
    title_zh="各案例集群在创新链各环节有据可查的主体数",
    caption=(
        "For each case cluster, the number of facilities, organisations and firms that the paper or a "
        "public page places at each chain stage (data/roles.csv; a facility's type plays no part). A "
        "middle lower than both ends is the paper's 两头重、中间轻. The counts are of documented entities, "
        "not of their size, budget or output, and a low bar means little evidence in this book, not weak "
        "capacity."
    ),
    alt=(
        "Grouped bars: four chain stages on the horizontal axis, one bar per case cluster at each stage, "
        "bar height the number of entities with a documented role at that stage."
    ),
    sources=("paper §2.2", "paper §3", "data/roles.csv", "data/clusters.csv"),
    chapter="chapters/mechanisms",
    claims=("C2.2-05",),
)
def _stage_profile(c, ed):
    clusters = c.clusters.set_index("cluster_id")
    profile = roles.profile(c.roles, c.stages, groups=c.cluster_ids)
    profile["group"] = profile["cluster_id"].map(ed.both(clusters["name_zh"], clusters["name_en"]))
    return stage_profile_chart(profile, "cluster_id", ed.t("Cluster 集群"), ed=ed)


#: Pixels between two mechanisms' lines along one shared link.
LANE_PX = 3


def side_by_side(frame: pd.DataFrame, pixels: tuple[float, float]) -> pd.DataFrame:
    """A link that serves several mechanisms is drawn once per mechanism: its lines side by side, LANE_PX apart
    (a metro map's lines), so each colour shows; drawn on top of each other, the last one hid the rest.

    ``pixels`` is the plot's pixels per layout unit along x and y.
    """
    frame = frame.copy()
    edges = frame[frame["element"] == "edge"]
    link = edges["id"].str.split(":").str[0]
    ids = edges.assign(link=link).drop_duplicates("id")
    lane = ids.groupby("link").cumcount() - (ids.groupby("link")["id"].transform("size") - 1) / 2
    lane = edges["id"].map(dict(zip(ids["id"], lane, strict=True)))
    ends = edges.groupby("id").agg(x0=("x", "first"), y0=("y", "first"), x1=("x", "last"), y1=("y", "last"))
    px, py = pixels
    dx, dy = (ends["x1"] - ends["x0"]) * px, -(ends["y1"] - ends["y0"]) * py  # y grows upwards in the layout
    length = (dx**2 + dy**2) ** 0.5
    normal_x, normal_y = (-dy / length).fillna(0), (dx / length).fillna(0)  # in pixels, y down
    shift = lane * LANE_PX
    frame.loc[edges.index, "x"] = edges["x"] + shift * edges["id"].map(normal_x) / px
    frame.loc[edges.index, "y"] = edges["y"] - shift * edges["id"].map(normal_y) / py
    return frame


def mechanism_map_chart(frame: pd.DataFrame, width: int = 720, height: int = 520, *, ed: Edition) -> alt.LayerChart:
    """The §2 mechanism map: hover a mechanism to light up its paths to industries of the future."""
    kinds = {
        "category": ed.t("Infrastructure 基础设施"),
        "cluster": ed.t("Cluster 集群"),
        "mechanism": ed.t("Mechanism 机制"),
        "outcome": ed.t("Outcome 成效"),
        "goal": ed.t("Goal 目标"),
    }
    frame = frame.assign(
        label=two_line(frame["name_zh"].fillna(""), frame["name_en"].fillna(""), wrap=18, ed=ed),
        node_kind=frame["kind"].map(kinds),
    )
    names = frame[frame["kind"] == "mechanism"].set_index("id")
    frame["path"] = frame["mechanism"].map(ed.pick(names["name_zh"], names["name_en"]))
    hover = alt.selection_point(
        name="hover_mechanism", fields=["mechanism"], on="pointerover", clear="pointerout", empty=True
    )
    x_domain, y_domain = (-0.27, 1.27), (-0.08, 1.14)
    frame = side_by_side(frame, (width / (x_domain[1] - x_domain[0]), height / (y_domain[1] - y_domain[0])))
    base = alt.Chart(frame)
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=list(x_domain)))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=list(y_domain)))
    paths = list(frame[frame["kind"] == "mechanism"].sort_values("id")["path"])
    edge_colours = alt.Scale(domain=paths, range=["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"])
    edges = (
        base.transform_filter("datum.element == 'edge'")
        .mark_line(strokeWidth=2, interpolate="basis")
        .encode(
            x=x,
            y=y,
            detail="id:N",
            order="end:Q",
            color=alt.condition(
                hover,
                alt.Color(
                    "path:N",
                    scale=edge_colours,
                    title=ed.t("Path of mechanism 机制路径"),
                    legend=alt.Legend(orient="bottom", direction="vertical", symbolType="stroke", symbolStrokeWidth=3),
                ),
                alt.value("#dddddd"),
            ),
            opacity=alt.condition(hover, alt.value(0.85), alt.value(0.25)),
            tooltip=[
                alt.Tooltip("claim_id:N", title=ed.t("Claim")),
                alt.Tooltip("quote_zh:N", title=ed.t("Paper 原文")),
            ],
        )
    )
    # hovering a link's target lights up the paths of its mechanism, as hovering the mechanism does
    link_tips = edge_hover_targets(
        base,
        x,
        y,
        ["claim_id", "quote_zh", "mechanism"],
        [alt.Tooltip("claim_id:N", title=ed.t("Claim")), alt.Tooltip("quote_zh:N", title=ed.t("Paper 原文"))],
    )
    node_colours = alt.Scale(domain=list(kinds.values()), range=["#0072B2", "#56B4E9", "#555555", "#E69F00", "#D55E00"])
    nodes = (
        base.transform_filter("datum.element == 'node'")
        .mark_circle(size=300, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "node_kind:N", scale=node_colours, title=ed.t("Node 节点"), legend=alt.Legend(orient="bottom")
            ),
            tooltip=tips(
                ed,
                alt.Tooltip("heading_zh:N", title=ed.t("论文 Paper")),
                alt.Tooltip("heading_en:N", title=ed.t("English")),
            ),
        )
        .add_params(hover)
    )
    node_rows = base.transform_filter("datum.element == 'node'")
    cluster_y = float(frame.loc[frame["kind"] == "cluster", "y"].iloc[0])
    labels = node_labels(
        node_rows,
        x,
        y,
        (
            ("category", "right", -13, "middle"),
            ("cluster", "center", 0, "above"),
            # mechanisms: on the side away from the cluster, clear of the lines that come from it
            (f"datum.kind == 'mechanism' && datum.y >= {cluster_y}", "center", 0, "above"),
            (f"datum.kind == 'mechanism' && datum.y < {cluster_y}", "center", 0, "below"),
            # outcomes: above and to the left, clear of the lines between outcomes and of those to the goal
            ("outcome", "right", -8, "above"),
            ("goal", "left", 13, "middle"),
        ),
        font_size=10,
        halo=True,  # the cluster's label sits among the lines that leave it
    )
    return (
        alt.layer(edges, link_tips, nodes, *labels)
        .resolve_scale(color="independent")
        .properties(width=width, height=height)
    )


def translation_bridge_chart(frame: pd.DataFrame, stages: pd.DataFrame, ed: Edition) -> alt.LayerChart:
    """Proof-of-concept centres and pilot bases on the stages they bridge, under sample → product → commodity.

    ``frame`` has one row per mark: ``element`` is ``form`` (a point with its
    name on the stage where the form sits) or ``facility`` (a cell of a bar).
    """
    frame = frame.assign(
        stage=two_line(frame["stage_zh"], frame["stage_en"], wrap=16, ed=ed),
        note_en=ed.values(frame["note_en"]),
    )
    stage_order = list(two_line(stages["name_zh"], stages["name_en"], wrap=16, ed=ed))  # every stage
    row_order = list(frame.sort_values("row_order")["row"].unique())
    x = stage_axis(stage_order, ed, scale=alt.Scale(domain=stage_order))
    y = alt.Y(
        "row:N",
        sort=row_order,
        title=None,
        axis=alt.Axis(labelLimit=240, labelExpr=f"split(datum.label, '{LINE_BREAK}')"),
    )
    tooltip = [
        alt.Tooltip("row:N", title=ed.t("What")),
        alt.Tooltip("stage:N", title=ed.t("Stage")),
        alt.Tooltip("quote_zh:N", title=ed.t("Paper 原文")),
        alt.Tooltip("note_en:N", title=ed.t("Reading")),
    ]
    tooltip, calculations = one_line(tooltip, "row", "stage")
    base = alt.Chart(frame).transform_calculate(**calculations)
    cells = (
        base.transform_filter("datum.element == 'facility'")
        .mark_rect(color=CATEGORY_COLOURS["translation"], opacity=0.8, stroke="white", strokeWidth=2)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    forms = base.transform_filter("datum.element == 'form'")
    points = forms.mark_circle(size=260, color=STAGE_COLOUR, opacity=1).encode(x=x, y=y, tooltip=tooltip)
    labels = forms.mark_text(fontSize=12, dy=-18).encode(x=x, y=y, text="label:N")
    return alt.layer(cells, points, labels).properties(width=400, height=alt.Step(56))


def talent_stage_chart(links: pd.DataFrame, ed: Edition) -> alt.Chart:
    """The four talent types of §2.4 × the chain stages they drive."""
    frame = links.assign(
        stage=two_line(links["stage_zh"], links["stage_en"], wrap=16, ed=ed),
        talent=two_line(links["talent_zh"], links["talent_en"], ed=ed),
        role=ed.t("人才 Talent"),
        note_en=ed.values(links["note_en"]),
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
            alt.Tooltip("talent:N", title=ed.t("Talent")),
            alt.Tooltip("stage:N", title=ed.t("Stage")),
            alt.Tooltip("coding:N", title=ed.t("Link")),
            alt.Tooltip("quote_zh:N", title=ed.t("Paper 原文")),
            alt.Tooltip("note_en:N", title=ed.t("Reading")),
        ],
        ed=ed,
    )


def stage_profile_chart(profile: pd.DataFrame, by: str, by_title: str, ed: Edition) -> alt.Chart:
    """How many entities serve each chain stage, side by side for each ``by`` group.

    Read across a group: a dip in the middle stages is the paper's 两头重、中间轻.
    """
    frame = profile.assign(stage=two_line(profile["name_zh"], profile["name_en"], wrap=16, ed=ed))[
        [by, "group", "stage", "stage_order", "count"]
    ]
    stage_order = list(frame.sort_values("stage_order")["stage"].unique())
    groups = list(dict.fromkeys(frame["group"]))
    tooltip, calculations = one_line(
        [
            alt.Tooltip("group:N", title=by_title),
            alt.Tooltip("stage:N", title=ed.t("Stage")),
            alt.Tooltip("count:Q", title=ed.t("Entities 主体数")),
        ],
        "stage",
    )
    return (
        alt.Chart(frame)
        .transform_calculate(**calculations)
        .mark_bar()
        .encode(
            x=stage_axis(stage_order, ed),
            xOffset=alt.XOffset("group:N", sort=groups),
            y=alt.Y("count:Q", title=ed.t("Entities at the stage 主体数"), axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "group:N",
                sort=groups,
                title=by_title,
                scale=alt.Scale(domain=groups, range=list(GROUP_PALETTE[: len(groups)])),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=300),
            ),
            tooltip=tooltip,
        )
        .properties(width=300, height=260)  # four stages in a phone's frame
    )
