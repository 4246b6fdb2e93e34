"""Case clusters (§3): one cluster's facilities, organisations, relations, claims and page.

Every function takes the cluster id, the papermill parameter ``cluster`` of the
case chapter, and an optional data directory, so the same code renders the
paper's three science cities and a reader's own cluster kept elsewhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pandas as pd

from . import chain, i18n, network, paths
from .data import load_table

TEMPLATE = "chapters/case_template.md"
CASES_DIR = "chapters/cases"
MARKER = "<!-- infraclusters:case-header -->"


class UnknownClusterError(KeyError):
    """A cluster id that data/clusters.csv does not have; the message lists the known ones."""

    def __str__(self) -> str:
        return self.args[0]


def clusters(data_dir=None) -> pd.DataFrame:
    """The clusters in data order (the paper's order for its three cases)."""
    return load_table("clusters", data_dir)


def cluster_row(cluster: str, data_dir=None) -> pd.Series:
    """The cluster's row, or UnknownClusterError naming every known cluster."""
    table = clusters(data_dir)
    if cluster not in set(table["cluster_id"]):
        known = ", ".join(table["cluster_id"])
        raise UnknownClusterError(f"unknown cluster {cluster!r}; known clusters: {known}")
    return table.set_index("cluster_id").loc[cluster]


def slug(cluster: str) -> str:
    """The cluster as it appears in figure ids and file names (hyphens, not underscores)."""
    return cluster.replace("_", "-")


def facilities(cluster: str, data_dir=None) -> pd.DataFrame:
    """The cluster's facilities with their type and category names."""
    cluster_row(cluster, data_dir)
    types = load_table("facility_types", data_dir)[["type_id", "category_id", "name_zh", "name_en"]].rename(
        columns={"name_zh": "type_zh", "name_en": "type_en"}
    )
    table = load_table("facilities", data_dir)
    return table[table["cluster_id"] == cluster].merge(types, on="type_id", how="left").reset_index(drop=True)


def organisations(cluster: str, data_dir=None) -> pd.DataFrame:
    table = load_table("organisations", data_dir)
    return table[table["cluster_id"] == cluster].reset_index(drop=True)


def relations(cluster: str, data_dir=None) -> pd.DataFrame:
    """Relations with at least one end in the cluster."""
    members = set(facilities(cluster, data_dir)["facility_id"]) | set(organisations(cluster, data_dir)["org_id"])
    table = load_table("relations", data_dir)
    return table[table["from_id"].isin(members) | table["to_id"].isin(members)].reset_index(drop=True)


def claims(cluster: str, data_dir=None) -> pd.DataFrame:
    """The paper's claims about the cluster: those of its section of §3 (none for a reader's own)."""
    section = cluster_row(cluster, data_dir)["paper_section"]
    table = load_table("claims", data_dir)
    return table[table["section"] == section].reset_index(drop=True) if isinstance(section, str) else table.iloc[:0]


def cluster_graph(cluster: str, data_dir=None) -> nx.DiGraph:
    """Facilities and organisations of the cluster as nodes, documented relations as edges."""
    return network.inventory_graph(
        facilities(cluster, data_dir), organisations(cluster, data_dir), relations(cluster, data_dir)
    )


def network_metrics(cluster: str, data_dir=None) -> dict:
    """Chain coverage of the cluster and the nodes that hold its network together.

    - ``stage_coverage``: share of the chain's stages served by at least one facility;
    - ``middle_bridges``: facilities serving both middle stages (applied basic and
      industrial technology research), the ground of the valley of death;
    - ``brokers``: the nodes with the highest betweenness centrality (undirected).
    """
    stages = chain.chain_stages(data_dir)
    links = chain.facility_stage_links(data_dir, cluster=cluster)
    middle = list(stages.sort_values("stage_order")["stage_id"])[1:-1]
    served = links.groupby("facility_id")["stage_id"].apply(set)
    bridges = sorted(f for f, s in served.items() if set(middle) <= s)
    graph = cluster_graph(cluster, data_dir)
    brokers = network.brokers(graph)
    return {
        "n_facilities": int(sum(d["kind"] == "facility" for _, d in graph.nodes(data=True))),
        "n_organisations": int(sum(d["kind"] == "organisation" for _, d in graph.nodes(data=True))),
        "n_relations": graph.number_of_edges(),
        "stage_coverage": chain.stage_coverage(links, stages) if len(links) else 0.0,
        "middle_bridges": bridges,
        "brokers": brokers,
        "names": {n: i18n.both(d["name_zh"], d["name_en"]) for n, d in graph.nodes(data=True)},
    }


def timeline(cluster: str, data_dir=None) -> pd.DataFrame:
    """Dated facilities of the cluster, oldest first (undated ones are left to the text)."""
    table = facilities(cluster, data_dir)
    dated = table.dropna(subset=["year"]).sort_values(["year", "facility_id"], ignore_index=True)
    return dated


# --- The page ---------------------------------------------------------------


def page_source(cluster: str, data_dir=None, root: Path | None = None, language: str | None = None) -> str:
    """The case chapter for one cluster: the template with its parameter and header filled in.

    The header is written into the page's Markdown (not produced by a cell), so
    the claims it cites count as reproduced, and the figure directives name the
    cluster's own figures.
    """
    root = root or paths.root()
    row = cluster_row(cluster, data_dir)
    template = (root / TEMPLATE).read_text(encoding="utf-8")
    text = re.sub(r'^cluster = "[^"]*"', f'cluster = "{cluster}"', template, count=1, flags=re.M)
    text = text.replace("CLUSTER_SLUG", slug(cluster))
    header = (header_markdown_zh if language == i18n.CHINESE else header_markdown)(cluster, row, data_dir)
    return text.replace(MARKER, header)


def _page_title(value) -> str:
    """Data text for a page title. Titles are copied into the theme's navigation and <h1> as markup,
    so angle brackets become their full-width look-alikes: shown, never run."""
    from .present import _cell

    return _cell(value).replace("&lt;", "＜").replace("&gt;", "＞")


def _claims_and_checks(cluster: str, data_dir=None) -> list[tuple]:
    """The paper's claims about the cluster, each with its fact checks (rows as named tuples)."""
    checks = load_table("fact_checks", data_dir)
    return [
        (claim, list(checks[checks["claim_id"] == claim.claim_id].itertuples()))
        for claim in claims(cluster, data_dir).itertuples()
    ]


def header_markdown(cluster: str, row: pd.Series, data_dir=None) -> str:
    """Title, facts of the cluster and the paper's claims about it (with the fact check)."""
    from .present import _cell, _sources

    def known(value) -> str:
        return _cell(value) or "not found on a public page"

    lines = [
        f"# {_page_title(row['name_en'])} ({_page_title(row['name_zh'])})",
        "",
        f"- Future industry (未来产业): {_cell(row['industry_focus_zh'])}, {_cell(row['industry_focus_en'])}",
        f"- National science centre (综合性国家科学中心): {known(row['science_centre_zh'])}"
        + (f", {_cell(row['science_centre_en'])}" if _cell(row["science_centre_en"]) else "")
        + (f"; approved {_cell(row['science_centre_approved'])}" if _cell(row["science_centre_approved"]) else ""),
        f"- Location: {_location(row)}",
        f"- Sources: {_sources(row['source'])}",
        "",
    ]
    said = _claims_and_checks(cluster, data_dir)
    if not said:
        lines += ["The paper makes no claims about this cluster; what follows is drawn from the data alone.", ""]
        return "\n".join(lines)
    lines += [f"## What the paper says (§{_cell(row['paper_section'])})", ""]
    for claim, checks in said:
        lines.append(f"- {{claim}}`{claim.claim_id}` “{_cell(claim.quote_zh)}” *{_cell(claim.text_en)}*")
        for check in checks:
            public = _cell(check.independent_value) or "no public figure found"
            when = f" ({_cell(check.independent_as_of)})" if _cell(check.independent_as_of) else ""
            lines.append(f"  - Public source: {public}{when}, **{_cell(check.agreement)}** {_sources(check.source)}")
    lines.append("")
    return "\n".join(lines)


def header_markdown_zh(cluster: str, row: pd.Series, data_dir=None) -> str:
    """The header of a page rendered on its own in Chinese (``case --language zh_CN``).

    In the book the header is written in English and translated from the
    catalogue like the rest of the page; a reader's own cluster has no
    translations there, so this writes its header in Chinese from the data.
    """
    from .present import _cell, _sources

    with i18n.using(i18n.CHINESE):
        lines = [
            f"# {_page_title(row['name_zh'])}",
            "",
            f"- 未来产业：{_cell(row['industry_focus_zh'])}",
            f"- 综合性国家科学中心：{_cell(row['science_centre_zh']) or '未在公开页面找到'}"
            + (f"，{_cell(row['science_centre_approved'])} 获批" if _cell(row["science_centre_approved"]) else ""),
            f"- 位置：{_location(row, i18n.CHINESE)}",
            f"- 来源：{_sources(row['source'])}",
            "",
        ]
        said = _claims_and_checks(cluster, data_dir)
        if not said:
            return "\n".join(lines + ["论文未论及该集群；以下内容全部来自数据。", ""])
        lines += [f"## 论文的论述（§{_cell(row['paper_section'])}）", ""]
        for claim, checks in said:
            lines.append(f"- {{claim}}`{claim.claim_id}` “{_cell(claim.quote_zh)}”")
            for check in checks:
                public = _cell(i18n.gettext(check.independent_value)) or "未找到公开数据"
                when = f"（{_cell(check.independent_as_of)}）" if _cell(check.independent_as_of) else ""
                verdict = _cell(i18n.gettext(check.agreement))
                lines.append(f"  - 公开来源：{public}{when}，**{verdict}** {_sources(check.source)}")
        return "\n".join(lines + [""])


def _location(row: pd.Series, language: str = i18n.ENGLISH) -> str:
    from .present import _cell

    note = _cell(i18n.gettext(row["coordinate_note"], language)) if isinstance(row["coordinate_note"], str) else ""
    if language == i18n.CHINESE:
        if pd.isna(row["longitude"]) or pd.isna(row["latitude"]):
            return f"未在公开页面找到坐标。{note}"
        return f"东经 {float(row['longitude']):.4f}°，北纬 {float(row['latitude']):.4f}°。{note}"
    if pd.isna(row["longitude"]) or pd.isna(row["latitude"]):
        return f"no coordinates found on a public page. {_cell(row['coordinate_note'])}"
    return f"{float(row['longitude']):.4f}° E, {float(row['latitude']):.4f}° N. {_cell(row['coordinate_note'])}"


def page_name(position: int, cluster: str) -> str:
    """File stem of a cluster's page: data order first, so the table of contents keeps it."""
    return f"{position:02d}_{cluster}"


def write_pages(data_dir=None, root: Path | None = None) -> list[Path]:
    """(Re)write ``chapters/cases/NN_<cluster>.md`` for every cluster; remove pages of removed clusters.

    A page is rewritten only when its text changes, so an unchanged cluster is
    neither re-read by Sphinx nor re-executed.
    """
    root = root or paths.root()
    target = root / CASES_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for position, cluster in enumerate(clusters(data_dir)["cluster_id"], start=1):
        path = target / f"{page_name(position, cluster)}.md"
        text = page_source(cluster, data_dir, root)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    for stale in set(target.glob("*.md")) - set(written):
        stale.unlink()
    return written


def page_numbers(cluster: str, data_dir=None) -> dict:
    """What a case page's prose quotes, computed from the cluster's data."""
    metrics = network_metrics(cluster, data_dir)
    table = facilities(cluster, data_dir)
    stages = chain.chain_stages(data_dir)
    served = set(chain.facility_stage_links(data_dir, cluster=cluster)["stage_id"])
    missing = stages[~stages["stage_id"].isin(served)]
    names = metrics["names"]
    sep, none = ("；" if i18n.is_chinese() else "; "), i18n.gettext("none")
    return {
        "n_facilities": metrics["n_facilities"],
        "n_organisations": metrics["n_organisations"],
        "n_relations": metrics["n_relations"],
        "coverage": f"{metrics['stage_coverage']:.0%}",
        "missing_stages": sep.join(i18n.both(missing["name_zh"], missing["name_en"])) or none,
        "middle_bridges": sep.join(names[n] for n in metrics["middle_bridges"]) or none,
        "n_middle_bridges": len(metrics["middle_bridges"]),
        "brokers": sep.join(names[n] for n in metrics["brokers"]) or none,
        "n_dated": int(table["year"].notna().sum()),
        "n_undated": int(table["year"].isna().sum()),
        "n_named_in_paper": int((table["named_in_paper"] == "yes").sum()),
    }


def comparison(data_dir=None) -> pd.DataFrame:
    """Every cluster side by side: facilities per category and the share of chain stages covered."""
    rows = []
    categories = load_table("facility_categories", data_dir)
    for cluster in clusters(data_dir).itertuples():
        table = facilities(cluster.cluster_id, data_dir)
        coverage = network_metrics(cluster.cluster_id, data_dir)["stage_coverage"]
        for category in categories.itertuples():
            rows.append(
                {
                    "cluster_id": cluster.cluster_id,
                    "cluster": i18n.both(cluster.name_zh, cluster.name_en),
                    "category_id": category.category_id,
                    "category_order": int(category.category_order),
                    "facilities": int((table["category_id"] == category.category_id).sum()),
                    "stage_coverage": coverage,
                }
            )
    return pd.DataFrame(rows)


def all_timelines(data_dir=None) -> pd.DataFrame:
    """Dated facilities of every cluster, with the cluster's name."""
    names = clusters(data_dir).set_index("cluster_id")
    frames = [timeline(c, data_dir) for c in names.index]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return table.assign(cluster=table["cluster_id"].map(i18n.both(names["name_zh"], names["name_en"])))


def locations(data_dir=None) -> pd.DataFrame:
    """Clusters with coordinates from a cited page (the others are named in the text, not placed)."""
    table = clusters(data_dir)
    located = table.dropna(subset=["longitude", "latitude"])
    return located.assign(label=i18n.both(located["name_zh"], located["name_en"]))[
        ["cluster_id", "label", "longitude", "latitude", "coordinate_note"]
    ]


def unlocated(data_dir=None) -> str:
    """The clusters without coordinates, named in the edition's language ("none" if every one is placed)."""
    everyone = clusters(data_dir)
    missing = everyone[everyone["longitude"].isna() | everyone["latitude"].isna()]
    names = missing["name_zh"] if i18n.is_chinese() else missing["name_en"]
    return ("；" if i18n.is_chinese() else "; ").join(names) or i18n.gettext("none")
