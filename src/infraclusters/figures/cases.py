"""Figures drawn once per case cluster (§3): its chain map, its network, its timeline."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..edition import Edition
from ..model import case_paths, graphs
from .marks import (
    LINE_BREAK,
    PHASE_COLOURS,
    RELATION_DASHES,
    ROLE_CODINGS,
    STATUS_SHAPES,
    STATUS_UNKNOWN,
    STATUSES,
    YEAR_PHASES,
    agreement_colour,
    domain,
    edge_hover_targets,
    group_colour,
    group_labels,
    lines,
    one_line,
    row_step,
    stage_matrix_chart,
    tips,
    two_line,
    wrap,
)
from .registry import case_figure


@case_figure(
    "chain-map",
    title_en="{name_en}: who serves which stage of the chain, from evidence",
    title_zh="{name_zh}：各主体在创新链上的角色（依据证据）",
    caption=(
        "The {n_placed} facilities, organisations and firms of {name_en} that the paper or a public page "
        "places on a stage of the chain, on those stages (solid: the paper; mid: a public page; pale: "
        "{readers} reading of vaguer words, explained in the tooltip). Together they cover {coverage} "
        "of the chain's stages. The other {n_context} entities of the inventory have no documented role "
        "and are not drawn; a facility's type plays no part. An empty stage means no evidence in the "
        "data, not nothing there."
    ),
    alt=(
        "A grid with the chain's stages as columns and the {n_placed} entities with a documented role "
        "as rows, coloured by kind; a filled cell marks a stage the evidence places the entity at."
    ),
    sources=("paper §3", "data/roles.csv", "data/facilities.csv", "data/organisations.csv"),
)
def _case_chain_map(cluster, ed):
    return role_map_chart(role_frame(cluster), ed=ed)


def role_frame(cluster) -> pd.DataFrame:
    """The cluster's roles with each entity's group (a facility's category, an organisation's kind)."""
    groups = dict(zip(cluster.facilities["facility_id"], cluster.facilities["category_id"], strict=True))
    groups |= dict(zip(cluster.organisations["org_id"], cluster.organisations["org_kind"], strict=True))
    frame = cluster.roles
    return frame.assign(group=frame["entity_id"].map(groups))


def role_map_chart(roles: pd.DataFrame, ed: Edition) -> alt.Chart:
    """Entities (rows, grouped by kind) × chain stages: a cell where the evidence places the entity."""
    labels = group_labels(ed)
    order_of_group = {label: i for i, label in enumerate(dict.fromkeys(labels.values()))}
    frame = roles.assign(
        stage=two_line(roles["stage_zh"], roles["stage_en"], wrap=16, ed=ed),
        entity=two_line(roles["name_zh"], roles["name_en"], wrap=34, ed=ed),
        group_label=roles["group"].map(labels),
        note=ed.notes(roles, "note_en"),
    )
    frame["group_order"] = frame["group_label"].map(order_of_group)
    frame = frame[
        ["entity", "entity_id", "group_label", "group_order", "stage", "stage_order", "coding", "step", "quote"]
        + ["note", "source"]
    ]
    order = list(frame.sort_values(["group_order", "entity_id"])["entity"].unique())
    full = group_colour(ed)
    present = [g for g in full.domain if g in set(frame["group_label"])]  # a legend of the kinds drawn, not all
    colours = dict(zip(full.domain, full.range, strict=True))
    return stage_matrix_chart(
        frame,
        "entity",
        order,
        "group_label",
        alt.Scale(domain=present, range=[colours[g] for g in present]),
        ed.t("Kind 类别"),
        [
            alt.Tooltip("entity:N", title=ed.t("Facility or organisation 设施或机构")),
            alt.Tooltip("stage:N", title=ed.t("Stage")),
            alt.Tooltip("coding:N", title=ed.t("Evidence 依据")),
            alt.Tooltip("step:N", title=ed.t("The source's word 原文用语")),
            alt.Tooltip("quote:N", title=ed.t("Quote 原文")),
            alt.Tooltip("note:N", title=ed.t("Reading 解读")),
            alt.Tooltip("source:N", title=ed.t("Source")),
        ],
        ed=ed,
        codings=ROLE_CODINGS,
        opacities=(1.0, 0.7, 0.35),
        coding_title="Evidence 依据",
    ).properties(height=row_step(frame["entity"], 34))


@case_figure(
    "path",
    title_en="{name_en}: the path, step by step, and what carries each step",
    title_zh="{name_zh}：路径（逐步）及其每一步的依据",
    caption=(
        "The sequence told for {name_en} (data/case_paths.csv), from top to bottom; a step marked \"book's "
        "order\" is the book's sequencing, not the paper's. Under each step after the first, the "
        "documented relations that carry it from the earlier steps (relation ids of data/relations.csv), or, "
        "in red, that none does. Then the actors (marked where a public page, not the paper, names them) and "
        "the numbers that belong there: the paper's own, dated, and beneath it one square for each public page "
        "checked against it, coloured by the fact check's verdict; point at or tap a square for the page's "
        "words, date and source."
    ),
    alt=(
        "The steps of the case's path one under another, joined by a line, each headed by the paper's word for "
        "the step, with the relations that carry the step or a red note that none does, the actors, the "
        "paper's numbers and a coloured square for each public page checked against them."
    ),
    sources=("paper §3", "data/case_paths.csv", "data/relations.csv", "data/claims.csv", "data/fact_checks.csv"),
)
def _case_path(cluster, ed):
    c = cluster.compendium
    return path_chart(
        case_paths.steps(c, cluster.id),
        case_paths.actors(c, cluster.id),
        case_paths.counts(c, cluster.id),
        ed=ed,
        links=case_paths.links(c, cluster.id),
    )


#: A path figure is one column, narrow enough for a phone's frame (342 px) and read top to bottom.
PATH_WIDTH = 330
#: Where a path figure's text starts (after the spine and its step dots), and a second level's indent.
PATH_TEXT_PX, PATH_INDENT_PX = 18, 30
#: Columns of a path figure's line (see :func:`.marks.wrap`; a Chinese character counts two) within its width.
PATH_COLUMNS = 44
#: A public page's square: its size and the step from one to the next.
PAGE_SQUARE, PAGE_STEP_PX = 90, 13


def path_lines(
    steps: pd.DataFrame, actors: pd.DataFrame, counts: pd.DataFrame, ed: Edition, links: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The marks of a path figure, one row per line or page: its step, its line (from the top), kind, text and x.

    Kinds: step, link, unsupported, actor, none, paper, verdicts (the public pages' verdicts in words), and
    page (one public page, drawn as a square coloured by its ``agreement``; its text is the page's words).
    """
    rows: list[dict] = []
    line = 0  # lines from the top; a page's square shares the line of the verdicts beside it

    def add(step: int, kind: str, text: str, x: int = PATH_TEXT_PX, columns: int = PATH_COLUMNS, **extra) -> None:
        nonlocal line
        for n, part in enumerate(wrap(text, columns) or [""]):
            dot = kind == "step" and not n  # the spine's dot, at a step's first line
            rows.append({"step": step, "line": line, "kind": kind, "text": part, "x": x, "dot": dot, **extra})
            line += 1
            x = x if kind == "step" else max(x, PATH_INDENT_PX)  # a continued line is indented

    if steps.empty:  # a reader's cluster with no path: the figure says so rather than drawing an empty frame
        add(1, "none", ed.t("No path is recorded for this cluster (data/case_paths.csv): nothing to draw."))
    for step in steps.itertuples():
        order = int(step.step_order)
        add(order, "step", f"{order}. {ed.both(step.step_zh, step.step_en) if not ed.is_chinese else step.step_zh}")
        if getattr(step, "sequence", "paper") == "book":
            add(order, "unsupported", ed.t("(book's order, not the paper's)"))
        link = links[links["step_order"] == order] if links is not None else pd.DataFrame()
        if len(link):
            found = link.iloc[0]
            if found["supported"]:
                carried = [ed.t("same actor")] if found["carried_by"] else []
                kinds = relation_names(pd.Series(found["relations"], dtype=object), ed)
                joined = [f"{i} {kind}" for i, kind in zip(found["relation_ids"], kinds, strict=True)]
                add(order, "link", "← " + ("、" if ed.is_chinese else ", ").join(carried + joined))
            else:
                add(order, "unsupported", ed.t("← no documented relation from the earlier steps"))
        here = actors[actors["step_order"] == order]
        for actor in here.itertuples():
            public = "" if getattr(actor, "named_in_paper", "yes") == "yes" else " " + ed.t("(public page)")
            add(order, "actor", "· " + (actor.name_zh if ed.is_chinese else actor.name_en) + public)
        if here.empty:
            add(order, "none", ed.t("(the paper names no actor here)"))
        beside = counts[counts["step_order"] == order]
        for claim_id, claim in beside.groupby("claim_id", sort=False):
            for count in claim[claim["origin"] == "paper"].itertuples():
                when = count.as_of if isinstance(count.as_of, str) and count.as_of else ed.t("no date given")
                if pd.isna(count.value):  # a claim in words, checked against public pages
                    text = ed.t("paper: {text}").format(text=count.quote_zh if ed.is_chinese else count.text_en)
                else:
                    text = ed.t("paper ({when}): {value}, {entity}").format(
                        when=when, value=_number(count.value, count.unit, ed), entity=ed.t(count.entity)
                    )
                add(order, "paper", text, claim_id=claim_id, source=count.source)
            pages = claim[claim["origin"] == "public"]
            if pages.empty:
                continue
            for slot, page in enumerate(pages.itertuples()):
                rows.append(
                    {
                        "step": order,
                        "line": line,
                        "kind": "page",
                        "text": ed.t(page.text_en),
                        "x": PATH_INDENT_PX + 4 + slot * PAGE_STEP_PX,
                        "claim_id": claim_id,
                        "source": page.source,
                        "agreement": ed.t(page.agreement),
                        "as_of": page.as_of if isinstance(page.as_of, str) and page.as_of else ed.t("no date given"),
                    }
                )
            verdicts = pd.Series([ed.t(a) for a in pages["agreement"]]).value_counts(sort=False)
            words = ed.join(f"{verdict} ×{n}" if n > 1 else verdict for verdict, n in verdicts.items())
            offset = PATH_INDENT_PX + len(pages) * PAGE_STEP_PX + 2
            add(order, "verdicts", words, x=offset, columns=PATH_COLUMNS - round(offset / 6.5), claim_id=claim_id)
        line += 1  # a blank line before the next step
    columns = ["step", "line", "kind", "text", "x", "dot", "claim_id", "source", "agreement", "as_of"]
    return pd.DataFrame(rows, columns=columns).fillna({"dot": False})


def _number(value: float, unit: str, ed: Edition) -> str:
    """A claim's value with its unit, as running text: "58 firms", "60%", "rank 1"."""
    if unit == "share":
        return f"{value:.0%}"
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"
    if unit == "rank":
        return ed.t("rank {number}").format(number=number)
    return f"{number} {ed.t(unit)}"


PATH_KINDS = ("step", "link", "unsupported", "actor", "none", "paper", "verdicts")
#: Pixels from one line of a path figure to the next.
PATH_LINE_PX = 15


def path_chart(
    steps: pd.DataFrame, actors: pd.DataFrame, counts: pd.DataFrame, ed: Edition, links: pd.DataFrame | None = None
) -> alt.LayerChart:
    """A case's path, top to bottom: a spine with a dot per step; under each step's name what carries it,
    its actors and its numbers, each public page checked against a number a square coloured by its verdict."""
    frame = path_lines(steps, actors, counts, ed, links)
    n_lines = int(frame["line"].max()) + 1 if len(frame) else 1
    height = max(PATH_LINE_PX * (n_lines + 1), 60)
    colours = alt.Scale(
        domain=list(PATH_KINDS), range=["#000000", "#007A5A", "#C0392B", "#333333", "#777777", "#000000", "#333333"]
    )
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[0, PATH_WIDTH], range=[0, PATH_WIDTH], nice=False))
    y_scale = alt.Scale(domain=[0, height], range=[0, height], nice=False)
    y = alt.Y("y:Q", axis=None, scale=y_scale)
    base = alt.Chart().transform_calculate(y=f"datum.line * {PATH_LINE_PX} + {PATH_LINE_PX / 2}")
    # the spine: a dot at each step's name, a line from the first step to the last
    heads = base.transform_filter("datum.dot")
    dots = heads.mark_circle(size=60, color="#000000", opacity=1).encode(x=alt.value(6), y=y)
    rule = (
        heads.transform_aggregate(top="min(y)", bottom="max(y)")
        .mark_rule(color="#000000", strokeWidth=1.5)
        .encode(x=alt.value(6), y=alt.Y("top:Q", axis=None, scale=y_scale), y2="bottom:Q")
    )
    tooltip = [
        alt.Tooltip("text:N", title=ed.t("Text")),
        alt.Tooltip("claim_id:N", title=ed.t("Claim")),
        alt.Tooltip("source:N", title=ed.t("Source")),
    ]
    text = {"x": x, "y": y, "text": "text:N", "color": alt.Color("kind:N", scale=colours, legend=None)}
    headers = base.transform_filter("datum.kind == 'step'").mark_text(
        align="left", baseline="middle", fontSize=12, fontWeight="bold"
    )
    words = base.transform_filter("datum.kind != 'step' && datum.kind != 'page'").mark_text(
        align="left", baseline="middle", fontSize=11
    )
    squares = (
        base.transform_filter("datum.kind == 'page'")
        .mark_square(size=PAGE_SQUARE, opacity=1)
        .encode(
            x=x,
            y=y,
            color=agreement_colour(ed),
            tooltip=[
                alt.Tooltip("agreement:N", title=ed.t("Public source vs the paper 公开来源与论文")),
                alt.Tooltip("text:N", title=ed.t("Public source 公开来源")),
                alt.Tooltip("as_of:N", title=ed.t("As of")),
                alt.Tooltip("claim_id:N", title=ed.t("Claim")),
                alt.Tooltip("source:N", title=ed.t("Source")),
            ],
        )
    )
    layers = [rule, dots, headers.encode(**text, tooltip=tooltip), words.encode(**text, tooltip=tooltip), squares]
    return alt.layer(*layers, data=frame).properties(width=PATH_WIDTH, height=height).resolve_scale(color="independent")


@case_figure(
    "network",
    title_en="{name_en}: facilities, organisations and their relations",
    title_zh="{name_zh}：设施、机构及其关系网络",
    caption=(
        "The cluster as a network (networkx), in two columns ordered so that the fewest relations cross: "
        "{n_facilities} facilities coloured by category, {n_organisations} organisations, and the "
        "{n_relations} documented relations between them, each dashed by its kind (hosts, builds, operates, "
        "serves, part of, spun off from, controls, develops with) and each from the paper or a public page."
    ),
    alt=(
        "A network of the cluster's {n_facilities} facilities and {n_organisations} organisations joined "
        "by {n_relations} relation lines; point at or tap a node for its name and kind, a line for the relation."
    ),
    sources=("paper §3", "data/facilities.csv", "data/organisations.csv", "data/relations.csv"),
)
def _case_network(cluster, ed):
    graph = cluster.graph
    return cluster_network_chart(graphs.cluster_frame(graph, graphs.column_layout(graph)), ed=ed)


@case_figure(
    "timeline",
    title_en="{name_en}: when its facilities came",
    title_zh="{name_zh}：创新基础设施建设时间线",
    caption=(
        "The {n_dated} facilities of the cluster for which a public page gives a year, by that year; the "
        "colour says the phase the year marks (decided: approval or establishment; being built: start of "
        "construction, topping-out or relocation; in operation: trial operation, opening, first operation or "
        "an acceptance), the tooltip the event itself, the shape the facility's status."
    ),
    alt=(
        "A time axis with one row per dated facility ({n_dated} in all), each a mark at its year, "
        "coloured by the phase the year marks."
    ),
    sources=("data/facilities.csv",),
)
def _case_timeline(cluster, ed):
    return timeline_chart(cluster.timeline.assign(cluster=cluster.id), ed=ed)


#: The cluster network's two columns: pixels per x unit (the columns stand at ±1), the room kept
#: outside them for labels, and the height of one line of a label.
COLUMN_PX, LABEL_MARGIN_PX, LABEL_LINE_PX = 170, 160, 13


def relation_names(relations: pd.Series, ed: Edition) -> pd.Series:
    """Kinds of relation as a reader sees them: the Chinese edition's word, or the English with spaces."""
    return ed.values(relations).str.replace("_", " ")


def cluster_network_chart(frame: pd.DataFrame, *, ed: Edition) -> alt.LayerChart:
    """A cluster's facilities, organisations and their documented relations, in two columns.

    The columns (:func:`graphs.column_layout`) are drawn at a fixed scale and
    each row is as tall as the longest label, so no two labels meet; each
    relation is dashed by kind, with a legend of the kinds drawn, and carries a
    hover target at its middle (a line's own tooltip does not show in a browser).
    """
    frame = frame.assign(
        group_label=frame["group"].map(group_labels(ed)),
        label=ed.pick(frame["name_zh"], frame["name_en"])
        .fillna("")
        .map(lambda t: lines(t, 16 if ed.is_chinese else 26)),
        relation=relation_names(frame["relation"], ed) if "relation" in frame else None,
        between=ed.pick(frame["name_zh"], frame["name_en"]),
        detail=ed.values(frame["detail"]) if "detail" in frame else None,
        home=(ed.pick(frame["home_zh"], frame["home_en"]) if "home_zh" in frame else None),
    )
    span_x = 1 + LABEL_MARGIN_PX / COLUMN_PX
    row_px = max((str(t).count(LINE_BREAK) + 1 for t in frame["label"]), default=1) * LABEL_LINE_PX + 8
    rows = -float(frame["y"].min()) if len(frame) else 0.0
    base = alt.Chart(frame)
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-span_x, span_x]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-rows - 0.6, 0.6]))
    width, height = round(2 * span_x * COLUMN_PX), round((rows + 1.2) * row_px)
    links = base.transform_filter("datum.element == 'edge'")
    dashes = dict(zip(relation_names(pd.Series(list(RELATION_DASHES)), ed), RELATION_DASHES.values()))
    drawn = [r for r in dashes if r in set(frame["relation"].dropna())]
    link_tips = [
        alt.Tooltip("relation:N", title=ed.t("Relation 关系")),
        alt.Tooltip("between:N", title=ed.t("Between")),
    ]
    edges = links.mark_line(color="#7a7a7a", strokeWidth=1.6, interpolate="basis").encode(
        x=x,
        y=y,
        detail="id:N",
        order="end:Q",
        strokeDash=alt.StrokeDash(
            "relation:N",
            scale=alt.Scale(domain=drawn, range=[dashes[r] for r in drawn]),
            title=ed.t("Relation 关系"),
            legend=alt.Legend(orient="bottom", columns=3, symbolStrokeWidth=2, symbolSize=400),
        ),
        tooltip=link_tips,
    )
    targets = edge_hover_targets(base, x, y, ["relation", "between"], link_tips, size=260)
    nodes = (
        base.transform_filter("datum.element == 'node'")
        .mark_circle(size=240, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "group_label:N",
                scale=group_colour(ed),
                title=ed.t("Node 节点"),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=300),
            ),
            tooltip=tips(
                ed,
                alt.Tooltip("name_zh:N", title=ed.t("中文")),
                alt.Tooltip("name_en:N", title=ed.t("English")),
                alt.Tooltip("detail:N", title=ed.t("Kind")),
                *(
                    [alt.Tooltip("home:N", title=ed.t("Shared with (its home cluster)"))]
                    if frame["home"].notna().any()
                    else []
                ),
            ),
        )
    )
    labels = [
        base.transform_filter(f"datum.element == 'node' && datum.side == '{side}'")
        .mark_text(fontSize=10, align=align, baseline="middle", dx=dx)
        .encode(x=x, y=y, text="label:N")
        for side, align, dx in (("right", "left", 12), ("left", "right", -12))
    ]
    return (
        alt.layer(edges, targets, nodes, *labels)
        .resolve_scale(color="independent")
        .properties(width=width, height=height)
    )


#: The case timeline: as wide as a phone's frame (its plot is the whole width), a facility's name on its own
#: lines above its track, the track's height, the gap below it, and how many columns a name's line may take
#: (a Chinese character counts two).
TIMELINE_PX, TIMELINE_TRACK_PX, TIMELINE_GAP_PX, TIMELINE_COLUMNS = 330, 14, 10, 56


def timeline_rows(labels: pd.Series) -> pd.DataFrame:
    """Where each facility's name and track sit, in pixels from the top: the name's lines, its track right
    under them, then a gap before the next name (so a mark reads with the name above it, not the one below)."""
    top, rows = TIMELINE_GAP_PX / 2, []
    for label in labels:
        name_px = (str(label).count(LINE_BREAK) + 1) * LABEL_LINE_PX
        rows.append((top, top + name_px + TIMELINE_TRACK_PX / 2))
        top += name_px + TIMELINE_TRACK_PX + TIMELINE_GAP_PX
    return pd.DataFrame(rows, columns=["label_y", "track_y"], index=labels.index).assign(height=top)


def timeline_chart(frame: pd.DataFrame, *, ed: Edition) -> alt.LayerChart:
    """Facilities on a time axis, each on its own track under its name, coloured by what the year marks.

    The names sit above their tracks, not beside them on an axis, so the plot is the figure's whole width
    (TIMELINE_PX, a phone's frame): a long name no longer squeezes the years into a strip.
    """
    names = two_line(frame["name_zh"], frame["name_en"], ed=ed).map(
        lambda t: LINE_BREAK.join(lines(part, TIMELINE_COLUMNS) for part in t.split(LINE_BREAK))
    )
    frame = frame.assign(
        facility=names,
        phase=ed.values(frame["year_meaning"].map(YEAR_PHASES)),
        year_meaning=ed.values(frame["year_meaning"]),
        status=ed.values(frame["status"].where(frame["status"].notna() & (frame["status"] != ""), STATUS_UNKNOWN)),
    )[["facility", "facility_id", "cluster", "year", "phase", "year_meaning", "status"]]
    frame = frame.sort_values(["year", "facility_id"]).reset_index(drop=True)
    frame = frame.join(timeline_rows(frame["facility"]))
    height = int(frame["height"].max()) if len(frame) else TIMELINE_TRACK_PX
    tooltip, calculations = one_line(
        [
            alt.Tooltip("facility:N", title=ed.t("Facility")),
            alt.Tooltip("year:Q", title=ed.t("Year")),
            alt.Tooltip("year_meaning:N", title=ed.t("Marks")),
            alt.Tooltip("status:N", title=ed.t("Status")),
        ],
        "facility",
    )
    base = alt.Chart(frame).transform_calculate(**calculations)
    pixels = alt.Scale(domain=[0, height], reverse=True)
    track_y = alt.Y("track_y:Q", scale=pixels, axis=None)
    tracks = base.mark_rule(color="#e3e3e3", strokeWidth=1).encode(x=alt.value(0), x2=alt.value(TIMELINE_PX), y=track_y)
    names_layer = base.mark_text(align="left", baseline="top", fontSize=10, lineHeight=LABEL_LINE_PX).encode(
        x=alt.value(0), y=alt.Y("label_y:Q", scale=pixels, axis=None), text="facility:N", tooltip=tooltip
    )
    points = base.mark_point(size=110, filled=True, opacity=1).encode(
        x=alt.X(
            "year:Q",
            title=ed.t("Year 年份"),
            scale=alt.Scale(zero=False, padding=12),
            axis=alt.Axis(format="d", orient="bottom", tickCount=6),
        ),
        y=track_y,
        color=alt.Color(
            "phase:N",
            title=ed.t("The year marks 年份含义"),
            scale=alt.Scale(domain=domain(PHASE_COLOURS, ed), range=list(PHASE_COLOURS.values())),
            legend=alt.Legend(orient="bottom", columns=2),
        ),
        shape=alt.Shape(
            "status:N",
            title=ed.t("Status 状态"),
            scale=alt.Scale(domain=domain(STATUSES, ed), range=list(STATUS_SHAPES)),
            legend=alt.Legend(orient="bottom", columns=2),
        ),
        tooltip=tooltip,
    )
    return (
        alt.layer(tracks, names_layer, points)
        .resolve_legend(color="independent", shape="independent")
        .properties(width=TIMELINE_PX, height=height)
    )
