"""A case cluster's page: the template with the cluster filled in, its header, and the numbers its prose quotes.

The header is written into the page's Markdown (not produced by a cell), so
the claims it cites count as reproduced, and the figure directives name the
cluster's own figures. Every value from the data is escaped: text, never markup.
"""

from __future__ import annotations

import re

import pandas as pd

from ..edition import N_, ORIGINAL, Edition, twin
from ..model import clusters, factcheck
from .markup import literal
from .tables import cell, sources

#: Where the case template marks the header this module writes.
MARKER = "<!-- infraclusters:case-header -->"


def page_source(cluster, template: str, ed: Edition) -> str:
    """The case chapter for one cluster (a :class:`~infraclusters.model.Cluster`) from the template's text.

    ``ed`` chooses the header's language: in the book the header is written in
    English and translated from the catalogue like the rest of the page; a page
    rendered on its own in Chinese (``case --language zh_CN``) gets its header
    written in Chinese from the data.
    """
    text = re.sub(r'^cluster = "[^"]*"', f'cluster = "{cluster.id}"', template, count=1, flags=re.M)
    text = text.replace("CLUSTER_SLUG", cluster.slug)
    header = header_markdown_zh(cluster, ed) if ed.is_chinese else header_markdown(cluster, ed)
    return text.replace(MARKER, header)


def page_title(value) -> str:
    """Data text for a page title. Titles are copied into the theme's navigation and <h1> as markup,
    so angle brackets become their full-width look-alikes: shown, never run."""
    return cell(value).replace("&lt;", "＜").replace("&gt;", "＞")


def claims_and_checks(cluster) -> list[tuple]:
    """The paper's claims about the cluster, each with its fact checks (rows as named tuples)."""
    checks = factcheck.table(cluster.compendium)
    return [
        (claim, list(checks[checks["claim_id"] == claim.claim_id].itertuples()))
        for claim in cluster.claims.itertuples()
    ]


def header_markdown(cluster, ed: Edition) -> str:
    """Title, facts of the cluster and the paper's claims about it (with the fact check), in English."""
    row = cluster.row

    def known(value) -> str:
        return cell(value) or "not found on a public page"

    lines = [
        f"# {page_title(row['name_en'])} ({page_title(row['name_zh'])})",
        "",
        f"- Future industry (未来产业): {cell(row['industry_focus_zh'])}, {cell(row['industry_focus_en'])}",
        f"- National science centre (综合性国家科学中心): {known(row['science_centre_zh'])}"
        + (f", {cell(row['science_centre_en'])}" if cell(row["science_centre_en"]) else "")
        + (f"; approved {cell(row['science_centre_approved'])}" if cell(row["science_centre_approved"]) else ""),
        f"- Location: {location(row, ed)}",
        f"- Sources: {sources(row['source'], ed)}",
        *([f"- Notes: {cell(ed.note(row))}"] if ed.note(row) else []),
        *dataset_lines(cluster, ed),
        "",
    ]
    said = claims_and_checks(cluster)
    if not said:
        lines += ["The paper makes no claims about this cluster; what follows is drawn from the data alone.", ""]
        return "\n".join(lines)
    lines += [f"## What the paper says (§{cell(row['paper_section'])})", ""]
    for claim, checks in said:
        lines.append(f"- {{claim}}`{claim.claim_id}` “{cell(claim.quote_zh)}” *{cell(claim.text_en)}*")
        for check in checks:
            public = cell(check.independent_value) or "no public figure found"
            when = f" ({cell(check.independent_as_of)})" if cell(check.independent_as_of) else ""
            lines.append(f"  - Public source: {public}{when}, **{cell(check.agreement)}** {sources(check.source, ed)}")
    lines.append("")
    return "\n".join(lines)


def dataset_lines(cluster, ed: Edition) -> list[str]:
    """For a reader's own cluster: the line that credits their dataset, and how to cite the page's figures."""
    from .citation import book_text, dataset_of

    if cluster.id not in cluster.compendium.own_cluster_ids:
        return []
    dataset = dataset_of(cluster.compendium)
    if ed.is_chinese:
        english_only = untranslated(cluster, ed)
        return [
            f"- 数据：{cell(dataset.text(ed))}",
            f"- 方法：{cell(book_text(ed))} 所复现的论文：黄庆丽等（2024）",
            *(
                [
                    f"- {ORIGINAL}：数据作者只用英文写的说明按原文显示，前标此记号"
                    f"（{'、'.join(f'`{c}`' for c in english_only)}）；在同表的中文列"
                    f"（{'、'.join(f'`{c}`' for c in dict.fromkeys(map(twin_of, english_only)))}）"
                    "中写上中文，本页即显示中文。"
                ]
                if english_only
                else []
            ),
        ]
    return [
        f"- Data: {cell(dataset.text(ed))}",
        f"- Method: {cell(book_text(ed))} Reproducing Huang et al. (2024)",
    ]


#: The free-text columns of a cluster's own rows that a page shows: (view of the cluster, table, column).
SHOWN_NOTES = (
    ("row", "clusters", "notes"),
    ("row", "clusters", "coordinate_note"),
    ("organisations", "organisations", "notes"),
    ("relations", "relations", "notes"),
    ("roles", "roles", "note_en"),
)


def untranslated(cluster, ed: Edition) -> list[str]:
    """``table.column`` of every note on a reader's page shown in the author's English (no Chinese written beside
    it), so the page can say so once."""
    found = []
    for view, table, column in SHOWN_NOTES:
        rows = [cluster.row] if view == "row" else getattr(cluster, view).to_dict("records")
        if any(str(ed.note(row, column) or "").startswith(ORIGINAL) for row in rows):
            found.append(f"{table}.{column}")
    return found


def twin_of(column: str) -> str:
    """``table.notes`` → ``notes_zh``: the column where the Chinese of ``column`` goes."""
    return twin(column.split(".", 1)[1])


def header_markdown_zh(cluster, ed: Edition) -> str:
    """The header of a page rendered on its own in Chinese, written in Chinese from the data."""
    row = cluster.row
    lines = [
        f"# {page_title(row['name_zh'])}",
        "",
        f"- 未来产业：{cell(row['industry_focus_zh'])}",
        f"- 综合性国家科学中心：{cell(row['science_centre_zh']) or '未在公开页面找到'}"
        + (f"，{cell(row['science_centre_approved'])} 获批" if cell(row["science_centre_approved"]) else ""),
        f"- 位置：{location(row, ed)}",
        f"- 来源：{sources(row['source'], ed)}",
        *([f"- 说明：{cell(ed.note(row))}"] if ed.note(row) else []),
        *dataset_lines(cluster, ed),
        "",
    ]
    said = claims_and_checks(cluster)
    if not said:
        return "\n".join(lines + ["论文未论及该集群；以下内容全部来自数据。", ""])
    lines += [f"## 论文的论述（§{cell(row['paper_section'])}）", ""]
    for claim, checks in said:
        lines.append(f"- {{claim}}`{claim.claim_id}` “{cell(claim.quote_zh)}”")
        for check in checks:
            public = cell(ed.t(check.independent_value)) or "未找到公开数据"
            when = f"（{cell(check.independent_as_of)}）" if cell(check.independent_as_of) else ""
            verdict = cell(ed.t(check.agreement))
            lines.append(f"  - 公开来源：{public}{when}，**{verdict}** {sources(check.source, ed)}")
    return "\n".join(lines + [""])


def location(row: pd.Series, ed: Edition) -> str:
    """Where the cluster is, from its sourced coordinates, in the edition's language."""
    if ed.is_chinese:
        note = cell(ed.note(row, "coordinate_note")) if isinstance(row["coordinate_note"], str) else ""
        if pd.isna(row["longitude"]) or pd.isna(row["latitude"]):
            return f"未在公开页面找到坐标。{note}"
        return f"东经 {float(row['longitude']):.4f}°，北纬 {float(row['latitude']):.4f}°。{note}"
    if pd.isna(row["longitude"]) or pd.isna(row["latitude"]):
        return f"no coordinates found on a public page. {cell(row['coordinate_note'])}"
    return f"{float(row['longitude']):.4f}° E, {float(row['latitude']):.4f}° N. {cell(row['coordinate_note'])}"


def node_labels(cluster, ed: Edition) -> dict[str, str]:
    """Node id → its name as the edition writes it (中文 English, or the Chinese alone)."""
    return {node: ed.both(zh, en) for node, (zh, en) in clusters.node_names(cluster).items()}


def disclosure(cluster, ed: Edition):
    """Who tells the case: a paragraph naming the paper's authors who work at an entity of the cluster."""
    from IPython.display import Markdown

    authors = cluster.authors
    if authors.empty:
        return Markdown(
            literal(
                ed.t("None of the paper's authors gives an affiliation in this cluster (the paper's English abstract).")
            )
        )
    names = node_labels(cluster, ed)
    entities = ed.join(dict.fromkeys(names[e] for e in authors["entity_id"]))
    people = ed.join(dict.fromkeys(authors["name_en"]))
    if cluster.is_readers:  # the paper tells no case of a reader's cluster: nothing in it is the authors' account
        said = N_(
            "A paper author works at {entities} ({people}, the paper's English abstract), which these data link to "
            "this cluster. The paper tells no case of this cluster: every row here is the data author's, and none "
            "is the authors' account of their own institution."
        )
    else:
        said = N_(
            "The paper's authors work here: {people}, at {entities} (the paper's English abstract). This case is told "
            "by the authors' own institution, so its claims about that institution are self-reported; the fact "
            "checks above say which a public page confirms, and the fields below are checked one by one."
        )
    return Markdown(literal(ed.t(said).format(people=people, entities=entities)))


def path_note(cluster, ed: Edition):
    """One sentence naming the steps of the case's path, or saying that none is recorded."""
    from IPython.display import Markdown

    from ..model import case_paths

    steps = case_paths.steps(cluster.compendium, cluster.id)
    if steps.empty:
        return Markdown(literal(ed.t("No path is recorded for this cluster (data/case_paths.csv).")))
    names = " → ".join(s.step_zh if ed.is_chinese else f"{s.step_zh} ({s.step_en})" for s in steps.itertuples())
    if (steps["sequence"] == "book").any():
        text = ed.t(
            "The paper gives this case no order of steps; the book sequences its words in {n} steps: {steps}. "
            "The figure marks the order as the book's."
        ).format(n=len(steps), steps=names)
    else:
        text = ed.t("The paper tells this case in {n} steps: {steps}.").format(n=len(steps), steps=names)
    return Markdown(literal(text))


def context_list(cluster, ed: Edition):
    """The cluster's facilities and organisations with no documented role, as a plain paragraph."""
    from IPython.display import Markdown

    names = node_labels(cluster, ed)
    found = [literal(names[n]) for n in cluster.metrics["context"]]
    label = literal(ed.t("Context, with no documented role on the chain:"))
    return Markdown(
        f"{label} {ed.join(found)}" if found else literal(ed.t("Every entity of this cluster has a documented role."))
    )


MIDDLE_READINGS = {
    "gap": N_(
        "With a stage that has no documented entity, the data cannot say whether the middle is lighter than the ends."
    ),
    "light": N_("The middle stages have fewer documented entities than both ends (两头重、中间轻)."),
    "not light": N_("The middle stages have no fewer documented entities than the ends."),
}


def middle_reading(metrics: dict) -> str:
    """What the roles say of 两头重、中间轻 in this cluster, as a sentence to translate (one verdict: :mod:`..model.roles`)."""
    return MIDDLE_READINGS[metrics["middle"]]


def connectedness(cluster, ed: Edition) -> str:
    """§1.2's 相互联系, measured: the network's parts and which facilities a chain of relations joins to a firm."""
    found = cluster.metrics["connectedness"]
    names = node_labels(cluster, ed)
    if found["n_parts"] == 1:
        sentence = N_(
            "The paper defines a cluster as interconnected (相互联系). Here the documented relations join all "
            "{n_nodes} nodes into one network; {n_reach} of the {n_facilities} facilities are joined to a firm by a "
            "chain of documented relations."
        )
    else:
        sentence = N_(
            "The paper defines a cluster as interconnected (相互联系). Here the documented relations join the "
            "{n_nodes} nodes into {n_parts} separate parts, the largest of {largest} nodes; {n_reach} of the "
            "{n_facilities} facilities are joined to a firm by a chain of documented relations."
        )
    text = ed.t(sentence).format(
        n_nodes=found["n_nodes"],
        n_parts=found["n_parts"],
        largest=found["largest_part"],
        n_reach=len(found["facilities_reaching_firm"]),
        n_facilities=found["n_facilities"],
    )
    big, reach = found["big_facilities"], found["big_facilities_reaching_firm"]
    if big:
        text += " " + ed.t("Of its {n} big facilities (重大科技基础设施), {reach} reach a firm: {names}.").format(
            n=len(big), reach=len(reach), names=ed.join(names[b] for b in reach) or ed.t("none")
        )
    counted = cluster.claims[cluster.claims["unit"] == "facilities"]
    for claim in counted.itertuples():
        if int(claim.value) != len(big):
            text += " " + ed.t(
                "The paper counts {value} here ({claim}); the inventory holds {n}, those a public page documents "
                "one by one."
            ).format(value=int(claim.value), claim=claim.claim_id, n=len(big))
    return text


def page_numbers(cluster, ed: Edition) -> dict:
    """What a case page's prose quotes, computed from the cluster's data."""
    metrics = cluster.metrics
    table = cluster.facilities
    stages = cluster.compendium.stages
    missing = stages[stages["stage_id"].isin(metrics["missing_stages"])]
    names = node_labels(cluster, ed)
    return {
        "n_facilities": metrics["n_facilities"],
        "n_organisations": metrics["n_organisations"],
        "n_relations": metrics["n_relations"],
        "coverage": f"{metrics['stage_coverage']:.0%}",
        "missing_stages": ed.join(ed.both(missing["name_zh"], missing["name_en"])),
        "n_placed": metrics["n_placed"],
        "n_placed_by_paper": metrics["n_placed_by_paper"],
        # a name ending in an abbreviation (Co., Ltd.) ends the sentence with its own stop, not "Ltd.."
        "bridges": ed.join(names[n] for n in metrics["bridges"]).removesuffix("."),
        "n_bridges": len(metrics["bridges"]),
        "n_context": len(metrics["context"]),
        "middle_reading": ed.t(middle_reading(metrics)),
        "connectedness": connectedness(cluster, ed),
        "brokers": ed.join(names[n] for n in metrics["brokers"]).removesuffix("."),
        "n_dated": int(table["year"].notna().sum()),
        "n_undated": int(table["year"].isna().sum()),
        "n_named_in_paper": int((table["named_in_paper"] == "yes").sum()),
        **whose_reading(cluster, ed),
    }


def whose_reading(cluster, ed: Edition) -> dict:
    """Who read the roles' words onto the chain, for the prose and captions: the book, or on a reader's own
    cluster the data's author (``reader``, and ``readers`` as a possessive)."""
    if cluster.is_readers:
        return {"reader": ed.t(N_("the data's author")), "readers": ed.t(N_("the data's author's"))}
    return {"reader": ed.t(N_("the book")), "readers": ed.t(N_("the book's"))}
