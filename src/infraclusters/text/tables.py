"""Presenting data in the text: the paper's Chinese beside its English, with the source.

Chapters call these to turn table rows into Markdown (rendered by myst-nb) or
into plain tables. Every value from the data is HTML-escaped first, so text in
a table can never become markup or script in the built page.
"""

from __future__ import annotations

import pandas as pd

from ..edition import N_, Edition
from ..model import factcheck
from .markup import code, literal


def definitions(frame: pd.DataFrame, ed: Edition):
    """Every definition row as a quote block: term, Chinese definition, English, source."""
    from IPython.display import Markdown

    blocks = []
    for row in frame.itertuples():
        if ed.is_chinese:
            blocks.append(
                f"> **{literal(row.term_zh)}**\n>\n> “{literal(row.definition_zh)}”\n>\n> 来源：{sources(row.source, ed)}"
            )
            continue
        blocks.append(
            f"> **{literal(row.term_zh)}** {literal(row.term_en)}\n>\n"
            f"> “{literal(row.definition_zh)}”\n>\n"
            f"> *{literal(row.definition_en)}*\n>\n"
            f"> Source: {sources(row.source, ed)}"
        )
    return Markdown("\n\n".join(blocks))


def table(frame: pd.DataFrame, columns: dict[str, str], ed: Edition):
    """A readable table: the chosen columns, renamed to reader-facing headers, no index.

    In the Chinese edition the English twins of Chinese columns (``*_en``) are left out
    and the headers are translated.
    """
    if ed.is_chinese:
        columns = {key: label for key, label in columns.items() if not key.endswith("_en")}
    return frame_table(frame[list(columns)], list(columns.values()), ed)


def frame_table(frame: pd.DataFrame, labels: list[str], ed: Edition):
    """Every row of ``frame`` under ``labels`` (translated), each cell inert text: the book's one table style."""
    rows = ["| " + " | ".join(literal(value) for value in row) + " |" for row in frame.itertuples(index=False)]
    return markdown_table([literal(ed.t(str(label))) for label in labels], rows, ed, translate=False)


def markdown_table(labels, rows: list[str], ed: Edition, empty: str | None = None, translate: bool = True):
    """A table of ``rows`` ("| … |" lines) under ``labels`` translated (unless ``translate`` is False: labels
    already in the edition's language and inert); ``empty`` (a message) when there are none."""
    from IPython.display import Markdown

    if not rows and empty:
        return Markdown(ed.t(empty))
    heads = [ed.t(label) for label in labels] if translate else labels
    header = "| " + " | ".join(heads) + " |\n|" + "---|" * len(labels) + "\n"
    return Markdown(header + "\n".join(rows))


def glue_numbers(numbers: dict) -> None:
    """Glue each value under its key for ``{glue:text}`` in the prose (numpy scalars cast first)."""
    from myst_nb import glue

    for key, value in numbers.items():
        if hasattr(value, "item"):  # numpy scalar: glue would show np.int64(…)
            value = value.item()
        glue(key, value, display=False)


def glue_role_summary(summary: pd.DataFrame, ed: Edition) -> None:
    """Glue what the mechanisms chapter says of the clusters' roles (see :func:`infraclusters.model.roles.cluster_summary`)."""
    names = ed.both(summary["name_zh"], summary["name_en"])
    light = summary["middle_light"].astype(bool)
    gap = summary["gaps"].map(len) > 0
    bridge = summary["bridges"].map(len) > 0
    bridged = [
        f"{name}: {ed.join(ed.both(zh, en) for zh, en in zip(zhs, ens, strict=True))}"
        for name, zhs, ens in zip(
            names[bridge], summary.loc[bridge, "bridges_zh"], summary.loc[bridge, "bridges_en"], strict=True
        )
    ]
    glue_numbers(
        {
            "n_clusters": len(summary),
            "n_middle_light": int(light.sum()),
            "middle_light_clusters": ed.join(names[light]),
            "n_with_gap": int(gap.sum()),
            "gap_clusters": ed.join(names[gap]),
            "n_with_bridge": int(bridge.sum()),
            "bridge_names": ed.join(bridged),
        }
    )


def graph_paths(graph, found: list[list[str]], ed: Edition):
    """Graph paths as a table, each node shown as 中文 English."""
    step = ed.t("step {number}")
    rows = [
        {
            step.format(number=i + 1): ed.both(graph.nodes[n]["name_zh"], graph.nodes[n]["name_en"])
            for i, n in enumerate(path)
        }
        for path in found
    ]
    frame = pd.DataFrame(rows)
    return frame_table(frame.fillna(""), list(frame.columns), ed)


#: The data dictionary's columns (see :func:`infraclusters.data.dictionary`), for the catalogue.
DICTIONARY_COLUMNS = (N_("column"), N_("type"), N_("required"), N_("key"), N_("allowed values"), N_("description"))


def data_dictionary(c, ed: Edition):
    """Every table of the data package as Markdown: title, file, description, rows, columns."""
    from IPython.display import Markdown

    parts = []
    for resource in c.descriptor["resources"]:
        frame = c.table(resource["name"])
        columns = c.dictionary(resource["name"])
        if ed.is_chinese:
            columns = columns.assign(
                description=ed.values(columns["description"]),
                required=ed.values(columns["required"]),
                key=columns["key"].replace({"primary": ed.t("primary")}),
            ).rename(columns={name: ed.t(name) for name in columns.columns})
        header = "| " + " | ".join(columns.columns) + " |\n|" + "---|" * len(columns.columns) + "\n"
        body = "".join(
            "| " + " | ".join(_dictionary_cell(v, i) for i, v in enumerate(row)) + " |\n"
            for row in columns.itertuples(index=False)
        )
        rows = ed.t("{count} rows.").format(count=len(frame))
        parts.append(
            f"## {literal(ed.t(resource['title']))}\n\n{code('data/' + str(resource['path']))}: "
            f"{literal(ed.t(resource.get('description', '')))} {rows}\n\n{header}{body}"
        )
    return Markdown("\n".join(parts))


def _dictionary_cell(value, position: int) -> str:
    """A data-dictionary cell (``position`` in :data:`DICTIONARY_COLUMNS`). A column's name and the column a key
    refers to are code, as a reader types them (and a narrow table may break them anywhere); a pattern among the
    allowed values is code too, so its * and [ ] stay literal."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if position == 0 and text:
        return code(text)
    if position == 3 and text.startswith("→ "):
        return "→ " + code(text[2:])
    if position == 4 and text and "|" not in text and any(ch in text for ch in "[]*+^$\\"):
        return code(text)
    return literal(value)


def glue_claims(c) -> None:
    """Glue the value of every quantitative claim as ``claim_C1_3_03`` (for C1.3-03), for the prose."""
    claims = c.claims.dropna(subset=["value"])
    numbers = {}
    for row in claims.itertuples():
        value = float(row.value)
        numbers["claim_" + row.claim_id.replace(".", "_").replace("-", "_")] = (
            int(value) if value.is_integer() else value
        )
    glue_numbers(numbers)


def glue_factcheck(c, checks: pd.DataFrame, ed: Edition) -> None:
    """Glue the fact-check page's counts, and the checks where an earlier public figure matches the paper."""
    glue_numbers(factcheck.summary_numbers(c))
    earlier = factcheck.earlier_matches(checks)
    said = [
        ed.t("{check} ({claim}: {public}, dated {public_date}, against the paper's {paper_date})").format(
            check=r.check_id,
            claim=r.claim_id,
            public=ed.t(r.independent_value),
            public_date=r.independent_as_of,
            paper_date=r.as_of,
        )
        for r in earlier.itertuples()
    ]
    glue_numbers({"fc_earlier_list": ed.join(said) if said else ed.t("none")})


def check_anchor(check_id: str) -> str:
    """An empty element whose id is the check's (``fc-01``): the address a ClaimReview points to."""
    from .claimreview import check_anchor as anchor

    return f'<span id="{anchor(check_id)}"></span>'


def factcheck_table(checks: pd.DataFrame, ed: Edition):
    """Per claim: the paper's words and value, then each public source's value, date and verdict."""
    from IPython.display import Markdown

    chinese = ed.is_chinese
    blocks = []
    for claim_id, group in checks.groupby("claim_id", sort=False):
        first = group.iloc[0]
        section = "paper §" + cell(first.section)  # the English edition's wording, unchanged
        if chinese:
            section = ed.paper_source("paper intro" if first.section == "intro" else section)
        rows = [f"| {ed.t('Paper 论文')} | {cell(ed.t(first.paper_value))} | {cell(first.as_of)} | — | {section} |"]
        rows += [
            f"| {check_anchor(r.check_id)}{cell(r.check_id)} {ed.t('public source')} | {cell(ed.t(r.independent_value)) or '—'} "
            f"| {cell(ed.t(r.independent_as_of))} | **{cell(ed.t(r.agreement))}**{basis(r, ed)} | {sources(r.source, ed)} |"
            for r in group.itertuples()
        ]
        notes = " ".join(f"{cell(r.check_id)}: {cell(ed.t(r.note))}" for r in group.itertuples() if cell(r.note))
        quotes = " ".join(f"{cell(r.check_id)}: “{cell(r.quote)}”" for r in group.itertuples() if cell(r.quote))
        what = cell(ed.t(first.entity)) if cell(first.entity) else ("" if chinese else cell(first.text_en))
        what = what.rstrip("。.")  # the sentence's own full stop is the heading's
        heading = f"**{{claim}}`{claim_id}`** {what}" + ("。" if chinese and what else ". " if what else " ")
        blocks.append(
            heading
            + f"{ed.t('论文原文:')} “{cell(first.quote_zh)}”\n\n"
            + f"| | {ed.t('Value')} | {ed.t('As of')} | {ed.t('Result')} | {ed.t('Source')} |\n|---|---|---|---|---|\n"
            + "\n".join(rows)
            + (f"\n\n*{ed.t('Public pages say:')}* {quotes}" if quotes else "")
            + (f"\n\n*{ed.t('Notes:')}* {notes}" if notes else "")
        )
    return Markdown("\n\n---\n\n".join(blocks))


#: The fact-check rubric in words, verdict by verdict (the code is :func:`..model.factcheck.verdict`).
RUBRIC = {
    "agrees": N_("same value, same metric, same period and same scope"),
    "agrees, other date": N_("same value, metric and scope, but the public page is dated otherwise, or gives no date"),
    "partially agrees": N_("the same value, but another metric or another scope"),
    "disagrees": N_("another value for the same metric, period and scope"),
    "not comparable": N_(
        "another value, and another metric, period or scope (or one of them unknown): it neither confirms "
        "nor refutes the paper"
    ),
    "not found": N_("no public page gives a value"),
}


def basis(check, ed: Edition) -> str:
    """The four comparisons a verdict follows from ("=" same, "≠" other, "?" unknown), after the verdict."""
    marks = {"yes": "=", "no": "≠", "unknown": "?"}
    names = {
        "same_value": ed.t("value"),
        "same_metric": ed.t("metric"),
        "same_period": ed.t("period"),
        "same_scope": ed.t("scope"),
    }
    parts = [f"{names[f]} {marks[getattr(check, f)]}" for f in factcheck.COMPARISONS if getattr(check, f) in marks]
    if getattr(check, "dated_earlier", False):
        parts.append(ed.t("public figure dated earlier than the paper's"))
    if not parts:
        return ""
    return "（" + "，".join(parts) + "）" if ed.is_chinese else " (" + ", ".join(parts) + ")"


def rubric(ed: Edition):
    """The fact-check rubric as a table: each verdict and the rule that gives it."""
    from IPython.display import Markdown

    rows = [f"| **{cell(ed.t(label))}** | {cell(ed.t(rule))} |" for label, rule in RUBRIC.items()]
    return Markdown(f"| {ed.t('Verdict')} | {ed.t('When')} |\n|---|---|\n" + "\n".join(rows))


def cell(value) -> str:
    """Data text for a Markdown table cell or running text: inert (see :mod:`.markup`), on one line."""
    return literal(value)


def examples(frame: pd.DataFrame, ed: Edition):
    """The paper's examples as a table: the paper's words, English, kind, the claim that names them."""
    from IPython.display import Markdown

    if ed.is_chinese:
        rows = [
            f"| {cell(r.name_zh)} | {cell(ed.t(r.example_kind))} | {{claim}}`{r.claim_id}` |"
            for r in frame.itertuples()
        ]
        return Markdown("| 论文原文 | 类型 | 论断 |\n|---|---|---|\n" + "\n".join(rows))
    rows = [
        f"| {cell(r.name_zh)} | {cell(r.name_en)} | {cell(r.example_kind.replace('_', ' '))} "
        f"| {{claim}}`{r.claim_id}` |"
        for r in frame.itertuples()
    ]
    return Markdown("| 论文原文 (paper) | English | Kind | Claim |\n|---|---|---|---|\n" + "\n".join(rows))


def mechanism_paths(graph, paths_by_category: dict, ed: Edition):
    """Every path from an infrastructure category to industries of the future, one row each."""
    rows = []
    for category, paths in paths_by_category.items():
        for path in paths:
            steps = " → ".join(
                ed.both(graph.nodes[n]["name_zh"], "(" + graph.nodes[n]["name_en"] + ")") for n in path[1:]
            )
            rows.append(
                {
                    ed.t("From 从"): ed.both(graph.nodes[category]["name_zh"], graph.nodes[category]["name_en"]),
                    ed.t("Path to industries of the future 路径"): steps,
                }
            )
    frame = pd.DataFrame(rows, columns=[ed.t("From 从"), ed.t("Path to industries of the future 路径")])
    return frame_table(frame, list(frame.columns), ed)


def sources(source, ed: Edition) -> str:
    items = [s.strip() for s in str(source).split(";") if s.strip()]
    if ed.is_chinese:
        return "；".join(ed.paper_source(s) if s.startswith("paper") else f"{{cite:p}}`{s}`" for s in items)
    return "; ".join(s if s.startswith("paper") else f"{{cite:p}}`{s}`" for s in items)


def facility_table(frame: pd.DataFrame, ed: Edition):
    """A cluster's facilities: name, type, status, dated year, whether the paper names it, source."""

    chinese = ed.is_chinese
    rows = []
    for r in frame.itertuples():
        year = f"{int(r.year)} ({cell(ed.t(r.year_meaning))})" if not pd.isna(r.year) else "—"
        name = cell(r.name_zh) if chinese else f"{cell(r.name_zh)}<br>{cell(r.name_en)}"
        kind = cell(r.type_zh)
        if getattr(r, "type_is_own", False):  # a reader's type: the paper's eight types stay the paper's
            kind += " " + ed.t("(a type of this dataset, not one of the paper's §1.3 types)")
        rows.append(
            f"| {name} | {kind} | {cell(ed.t(r.status)) or '—'} "
            f"| {year} | {cell(ed.t(r.named_in_paper))} | {sources(r.source, ed)} |"
        )
    labels = [N_("Facility 设施"), N_("Type 类型"), N_("Status"), N_("Year"), N_("Named in the paper"), N_("Source")]
    return markdown_table(labels, rows, ed, empty=N_("No facilities are recorded for this cluster."))


def organisation_table(frame: pd.DataFrame, ed: Edition):
    """A cluster's organisations: name, kind, whether the paper names it, what the source says, source.

    Every organisation row's sources are cited here, so the page's reference list holds them all.
    """

    chinese = ed.is_chinese
    rows = []
    for r in frame.itertuples():
        name = cell(r.name_zh) if chinese else f"{cell(r.name_zh)}<br>{cell(r.name_en)}"
        kind = cell(ed.t(r.org_kind).replace("_", " "))
        rows.append(
            f"| {name} | {kind} | {cell(ed.t(r.named_in_paper))} | {cell(ed.note(r))} | {sources(r.source, ed)} |"
        )
    labels = [N_("Organisation 机构"), N_("Kind"), N_("Named in the paper"), N_("What the source says"), N_("Source")]
    return markdown_table(labels, rows, ed, empty=N_("No organisations are recorded for this cluster."))


def relation_table(frame: pd.DataFrame, names: dict, ed: Edition):
    """Documented relations: their id (a path figure and the notes name relations by it), who, how, whom, what the
    source says."""

    rows = [
        f"| `{cell(r.relation_id)}` | {cell(names.get(r.from_id, r.from_id))} | {cell(ed.t(r.relation).replace('_', ' '))} "
        f"| {cell(names.get(r.to_id, r.to_id))} | {cell(ed.note(r))} | {sources(r.source, ed)} |"
        for r in frame.itertuples()
    ]
    labels = [N_("Id"), N_("From"), N_("Relation"), N_("To"), N_("What the source says"), N_("Source")]
    return markdown_table(labels, rows, ed, empty=N_("No relations are recorded for this cluster."))


def role_table(frame: pd.DataFrame, ed: Edition, by_reader: bool = False):
    """Roles on the chain: who, at which stage, on what evidence, in the source's words, read how.

    ``by_reader``: the rows are a reader's own (their cluster), so the readings and inferences are
    theirs, and the table says so instead of crediting them to the book.
    """

    def coding(value: str) -> str:
        return ed.t(N_("inferred by the data's author")) if by_reader and value == "inferred" else ed.t(value)

    rows = [
        f"| {cell(ed.both(r.name_zh, r.name_en))} | {cell(ed.both(r.stage_zh, r.stage_en))} | {cell(coding(r.coding))} "
        f"| {cell(r.quote)} | {cell(ed.note(r, 'note_en'))} | {sources(r.source, ed)} |"
        for r in frame.itertuples()
    ]
    reading = N_("How the data's author reads them") if by_reader else N_("How the book reads them")
    labels = [N_("Entity"), N_("Stage"), N_("Evidence"), N_("The source's words"), reading]
    return markdown_table(
        [*labels, N_("Source")], rows, ed, empty=N_("No roles on the chain are documented for this cluster.")
    )


def field_table(frame: pd.DataFrame, ed: Edition):
    """The fields the paper says were industrialised, and what public pages show of each."""
    from IPython.display import Markdown

    if frame.empty:
        return Markdown(ed.t("The paper names no industrialised fields for this cluster."))
    rows = [
        f"| {cell(ed.both(r.name_zh, r.name_en))} | {cell(ed.t(r.notes))} | {sources(r.source, ed)} |"
        for r in frame.itertuples()
    ]
    labels = [N_("Field the paper names"), N_("What public pages show"), N_("Source")]
    return markdown_table(labels, rows, ed)


def bridging_table(frame: pd.DataFrame, ed: Edition):
    """Dated counts of the middle and the research end, with the place each covers (which names the case) and its source."""

    ends = {"middle": ed.t("middle (bridging)"), "research": ed.t("research end")}
    rows = [
        f"| {cell(ed.t(r.scope_en))} | {cell(ends[r.end])} | {cell(ed.t(r.kind_en))} | {r.value:,} "
        f"| {cell(r.as_of) or cell(ed.t('no date given'))} | {cell(r.quote)} {sources(r.source, ed)} |"
        for r in frame.itertuples()
    ]
    labels = [N_("Place counted"), N_("End"), N_("What is counted"), N_("Count"), N_("As of")]
    labels += [N_("The source's words")]
    return markdown_table(labels, rows, ed, empty=N_("No counts of the middle are recorded."))


def glue_bridging(comparisons: pd.DataFrame, ed: Edition, prefix: str = "") -> None:
    """Glue the like-for-like comparisons of the middle and the research end (see :mod:`infraclusters.model.bridging`).

    ``prefix`` starts every key, so that one reading's comparisons can be glued beside another's.
    """
    said = [
        ed.t("{case}, {place}, {date}: {middle} in the middle against {research} at the research end").format(
            case=ed.both(r.name_zh, r.name_en),
            place=ed.t(r.scope_en),
            date=r.as_of,
            middle=r.middle,
            research=r.research,
        )
        for r in comparisons.itertuples()
    ]
    glue_numbers(
        {
            f"{prefix}n_like_for_like": len(comparisons),
            f"{prefix}like_for_like": ed.join(said) or ed.t("none"),
            f"{prefix}n_like_for_like_light": int(comparisons["middle_light"].sum()),
        }
    )


def measures_table(frame: pd.DataFrame, ed: Edition):
    """§4's measures: the recommendation, the paper's sentence, the actors and instruments it names."""
    from IPython.display import Markdown

    if ed.is_chinese:
        rows = [
            f"| {cell(r.short_zh)} | {{claim}}`{r.claim_id}` | {cell(r.actors_zh) or '—'} | {cell(r.instruments_zh)} |"
            for r in frame.itertuples()
        ]
        return Markdown("| 建议 | 原文 | 所提主体 | 所提举措 |\n|---|---|---|---|\n" + "\n".join(rows))

    def both(zh, en) -> str:  # the paper's words over the English; one dash where the paper names none
        return f"{cell(zh)}<br>*{cell(en)}*" if cell(zh) or cell(en) else "—"

    rows = [
        f"| {cell(r.short_zh)} {cell(r.short_en)} | {{claim}}`{r.claim_id}` | {both(r.actors_zh, r.actors_en)} "
        f"| {both(r.instruments_zh, r.instruments_en)} |"
        for r in frame.itertuples()
    ]
    return Markdown(
        "| Recommendation | Sentence | Actors named 主体 | Instruments named 举措 |\n|---|---|---|---|\n"
        + "\n".join(rows)
    )


EVIDENCE_COLUMNS = {
    "cluster": N_("Cluster 集群"),
    "rec1_stage_coverage": N_("因地制宜: chain stages with a documented role"),
    "rec1_missing_stages": N_("因地制宜: stages with no documented entity"),
    "rec1_bridges": N_("因地制宜: bridges, entities documented across the valley towards industry"),
    "rec2_builder_kinds": N_(
        "多元投入: kinds of organisation documented as building its facilities (no money recorded)"
    ),
    "rec3_new_rd_institutions": N_("创新管理: new-type R&D institutions"),
    "rec4_firm_cooperation": N_(
        "深化融合: joint development, licences or facility use with a firm (co-location, shareholding and spin-offs not counted)"
    ),
    "rec5_service_platforms": N_("数字赋能: public technology service platforms"),
}


def evidence_table(frame: pd.DataFrame, c, ed: Edition):
    """The computed indicators per cluster (:func:`infraclusters.model.recommendations.evidence`),
    one row per indicator, one column per cluster."""
    stages = c.stages.set_index("stage_id")
    frame = frame.assign(
        cluster=ed.both(frame["name_zh"], frame["name_en"]),
        rec1_stage_coverage=frame["rec1_stage_coverage"].map("{:.0%}".format),
        rec1_missing_stages=frame["rec1_missing_stages"].map(
            lambda ids: ed.join(ed.both(stages.loc[i, "name_zh"], stages.loc[i, "name_en"]) for i in ids)
        ),
        rec2_builder_kinds=frame["rec2_builder_kinds"].map(
            lambda kinds: f"{len(kinds)}: {ed.join(ed.t(k).replace('_', ' ') for k in kinds)}" if kinds else "0"
        ),
        rec4_firm_cooperation=frame["rec4_firm_cooperation"].map(
            lambda n: ed.t("— (the inventory names no firm)") if n is None or n != n else str(int(n))
        ),
    )
    table = frame.set_index("cluster")[[c for c in EVIDENCE_COLUMNS if c != "cluster"]].T
    table.insert(0, "indicator", [ed.t(EVIDENCE_COLUMNS[c]) for c in table.index])
    # one header row: the indicator, then the clusters (no pandas index names above them)
    return frame_table(table, ["Indicator 指标", *table.columns[1:]], ed)
