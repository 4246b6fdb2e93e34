"""The national panel's tables and the numbers its chapter quotes, in the edition's language."""

from __future__ import annotations

import pandas as pd

from ..edition import N_, Edition
from ..model import panel
from .tables import cell, markdown_table, sources

#: The plan's seven fields, in its order.
FIELD_LABELS = {
    "energy": N_("Energy 能源"),
    "life": N_("Life 生命"),
    "earth_environment": N_("Earth system and environment 地球系统与环境"),
    "materials": N_("Materials 材料"),
    "particle_nuclear": N_("Particle and nuclear physics 粒子物理和核物理"),
    "space_astronomy": N_("Space and astronomy 空间和天文"),
    "engineering": N_("Engineering technology 工程技术"),
    "unknown": N_("No field assigned 未归入领域"),
}
QUALIFIERS = {"exact": "", "nearly": N_("nearly "), "about": N_("about "), "more than": N_("more than ")}

#: What an official count counts (panel_counts.measure).
COUNTED = {
    "laid_out": N_("laid out (planned or built)"),
    "built_and_building": N_("built and being built"),
    "operating": N_("operating"),
    "under_construction": N_("under construction"),
    "located": N_("located there"),
    "started_in_plan": N_("started in a Five-Year Plan"),
    "accepted_in_plan": N_("accepted in a Five-Year Plan"),
    "priority_in_plan": N_("priorities of a Five-Year Plan"),
    "target": N_("target"),
}
KINDS = {
    "comprehensive": N_("comprehensive national science centre"),
    "regional": N_("regional comprehensive science centre"),
    "seeking": N_("seeking a comprehensive national science centre"),
}
READING_LABELS = {
    "national": N_("As the book reads the rows: named by a page, or shown passing the national steps"),
    "named_only": N_("Only facilities a page names as national major S&T infrastructure"),
    "every_row": N_("Every row, also those no page names as national"),
    "stated_fields": N_("Only fields a page states (none the book assigned)"),
}
DESIGNATION_LABELS = {
    "named": N_("named by a page"),
    "by_process": N_("national steps only (the book's reading)"),
    "not_stated": N_("not stated (not counted)"),
}
STANDING_LABELS = {
    "largest": N_("more sites than any other centre"),
    "smallest": N_("fewer sites than any other centre"),
    "within": N_("within the other centres' range"),
}
VERDICT_LABELS = {
    "clustered": N_("most sites in a city of three or more"),
    "recent_in_centres": N_("a larger share in the centres since 2016"),
    "related_centres": N_("centres with one field for half their sites"),
    "centres_with_fields": N_("centres with a field to measure"),
    "cases_top_quarter": N_("cases' cities in the top quarter of host cities"),
}


def field_label(field, ed: Edition) -> str:
    return ed.t(FIELD_LABELS[field if isinstance(field, str) else "unknown"])


def case_name(c, cluster_id: str, ed: Edition) -> str:
    """A case cluster's name as the edition writes it."""
    row = c.clusters.set_index("cluster_id").loc[cluster_id]
    return ed.both(row["name_zh"], row["name_en"])


def numbers(c, ed: Edition) -> dict:
    """What the chapter's prose quotes, computed from the panel."""
    every = panel.sites(c, "every_row")
    whole = panel.facilities(c)
    found = panel.clustering(c)
    complete = panel.completeness(c).set_index("measure")
    typical = panel.typicality(c).set_index("cluster_id")
    footing = panel.footing(c)
    flips = panel.sensitivity(c).set_index("reading")["changed"]
    ranks = ed.join(f"{case_name(c, cid, ed)} ({r.city_rank})" for cid, r in typical.iterrows())
    laid_out = complete.loc["laid_out"] if "laid_out" in complete.index else None
    building = complete.loc["built_and_building"] if "built_and_building" in complete.index else None
    return {
        "panel_rows": len(every),
        "panel_facilities": len(whole),
        "panel_sites": found["sites"],
        "panel_cities": found["cities"],
        "panel_named": footing["designation"]["named"],
        "panel_by_process": footing["designation"]["by_process"],
        "panel_not_stated": footing["designation"]["not_stated"],
        "panel_field_stated": footing["field_basis"]["stated"],
        "panel_field_inferred": footing["field_basis"]["inferred"],
        "official_laid_out": int(laid_out["value"]) if laid_out is not None else "—",
        "official_laid_out_as_of": laid_out["as_of"] if laid_out is not None else "—",
        "share_laid_out": f"{laid_out['share']:.0%}" if laid_out is not None else "—",
        "official_building": f"{ed.t(QUALIFIERS[building['qualifier']])}{int(building['value'])}"
        if building is not None
        else "—",
        "official_building_as_of": building["as_of"] if building is not None else "—",
        "panel_building": int(building["panel"]) if building is not None else "—",
        "clustered_share": f"{found['clustered']:.0%}",
        "alone_share": f"{found['alone']:.0%}",
        "in_centres_share": f"{found['in_centres']:.0%}",
        "in_centres_before": f"{found['in_centres_before']:.0%}",
        "in_centres_since": f"{found['in_centres_since']:.0%}",
        "dated_before": found["dated_before"],
        "dated_since": found["dated_since"],
        "cases_city_ranks": ranks,
        "median_city_sites": f"{typical['median_cities'].iloc[0]:g}" if len(typical) else "—",
        "cases_among_centres": ed.t(
            N_("Among the centres, each of the three cases is within the other centres' range.")
            if (typical["standing"] == "within").all()
            else N_("Among the centres, not every case is within the other centres' range (see the table).")
        ),
        "cases_among_cities": ed.t(
            N_("All of them are in the top quarter: the paper's cases are large hosts, not typical ones.")
            if len(typical) and typical["top_quarter"].all()
            else N_("Not all of them are in the top quarter of host cities.")
        ),
        "clustered_flips": ed.join(ed.t(READING_LABELS[r]) for r, changed in flips.items() if "clustered" in changed)
        or ed.t("none"),
    }


def counts_table(c, ed: Edition):
    """Every official count, dated, with what it counts and its source."""

    counts = c.table("panel_counts")
    rows = [
        f"| {cell(ed.t(r.scope))} | {cell(ed.t(QUALIFIERS[r.qualifier]))}{r.value} | {cell(ed.t(COUNTED[r.measure]))} "
        f"| {cell(r.as_of) or '—'} | “{cell(r.quote)}” | {sources(r.source, ed)} |"
        for r in counts.itertuples()
    ]
    labels = [N_("Scope"), N_("Count"), N_("What it counts"), N_("As of"), N_("The source's words"), N_("Source")]
    return markdown_table(labels, rows, ed)


def centre_table(c, ed: Edition):
    """Each comprehensive centre: approval, its sites as the book reads the rows, fields, and its case."""

    profiles = panel.centre_profiles(c).set_index("centre_id")
    rows = []
    for r in panel.centres(c).itertuples():
        if r.kind != "comprehensive":
            continue
        p = profiles.loc[r.centre_id]
        top = f"{field_label(p.top_field, ed)} ({p.top_share:.0%})" if isinstance(p.top_field, str) else "—"
        case = case_name(c, r.cluster_id, ed) if isinstance(r.cluster_id, str) else "—"
        name = cell(r.name_zh) if ed.is_chinese else f"{cell(r.name_zh)}<br>{cell(r.name_en)}"
        rows.append(
            f"| {name} | {cell(r.approved)} | {p.sites} | {p.fields} | {cell(top)} | {cell(case)} | {sources(r.source, ed)} |"
        )
    labels = [
        N_("Centre"),
        N_("Approved"),
        N_("Sites"),
        N_("Fields"),
        N_("Largest field (share)"),
        N_("Case (§3)"),
        N_("Source"),
    ]
    return markdown_table(labels, rows, ed)


def others_table(c, ed: Edition):
    """The regional centre and the cities that pages say seek a comprehensive centre."""

    rows = [
        f"| {cell(r.name_zh) if ed.is_chinese else cell(r.city_en)} | {cell(ed.t(KINDS[r.kind]))} | {cell(r.approved) or '—'} "
        f"| {sources(r.source, ed)} |"
        for r in panel.centres(c).itertuples()
        if r.kind != "comprehensive"
    ]
    labels = [N_("City or centre"), N_("Kind"), N_("Approved"), N_("Source")]
    return markdown_table(labels, rows, ed)


def typicality_table(c, ed: Edition):
    """The three cases among the centres and among every host city."""

    rows = [
        f"| {cell(case_name(c, r.cluster_id, ed))} | {r.sites} "
        f"| {r.rank}/{r.centres} | {cell(ed.t(STANDING_LABELS[r.standing]))} | {r.city_sites} | {r.city_rank}/{r.cities} |"
        for r in panel.typicality(c).itertuples()
    ]
    labels = [N_("Case"), N_("Sites in its centre"), N_("Rank among centres"), N_("Against the other centres")]
    labels += [N_("Sites in its city"), N_("Rank among host cities")]
    return markdown_table(labels, rows, ed)


def sensitivity_table(c, ed: Edition):
    """Every verdict under every reading of the rows; a cell that differs from the book's reading is bold."""
    from IPython.display import Markdown

    sens = panel.sensitivity(c)
    keys = [k for k in sens.columns if k not in ("reading", "changed")]

    def label(key: str) -> str:
        if key.startswith("standing:"):
            return ed.t("{case}: its centre").format(case=case_name(c, key.split(":", 1)[1], ed))
        return ed.t(VERDICT_LABELS[key])

    def value(v) -> str:
        if isinstance(v, bool):
            return ed.t("yes") if v else ed.t("no")
        if isinstance(v, str):
            return ed.t(STANDING_LABELS.get(v, v))
        return str(v)

    rows = []
    for r in sens.to_dict("records"):
        cells = [cell(ed.t(READING_LABELS[r["reading"]]))]
        cells += [f"**{cell(value(r[k]))}**" if k in r["changed"] else cell(value(r[k])) for k in keys]
        rows.append("| " + " | ".join(cells) + " |")
    header = "| " + " | ".join([ed.t("Reading"), *(cell(label(k)) for k in keys)]) + " |\n|" + "---|" * (len(keys) + 1)
    return Markdown(header + "\n" + "\n".join(rows))


def facility_table(c, ed: Edition):
    """The whole panel, one row per site: the data a reader can check row by row."""

    table = c.table("panel_facilities")
    rows = []
    for r in table.itertuples():
        name = cell(r.name_zh) if ed.is_chinese else f"{cell(r.name_zh)}<br>{cell(r.name_en)}"
        city = cell(r.city_zh) if ed.is_chinese else cell(r.city_en)
        inferred = isinstance(r.field_basis, str) and r.field_basis == "inferred"
        field = field_label(r.field, ed) + (ed.t(" (the book's)") if inferred else "")
        year = f"{int(r.year)} ({cell(ed.t(r.year_meaning))})" if not pd.isna(r.year) else "—"
        rows.append(
            f"| {name} | {city or '—'} | {cell(field)} | {cell(ed.t(r.status)) or '—'} | {year} "
            f"| {cell(ed.t(DESIGNATION_LABELS[r.designation]))} | {sources(r.source, ed)} |"
        )
    labels = [N_("Facility 设施"), N_("City"), N_("Field"), N_("Status"), N_("Year"), N_("National?"), N_("Source")]
    return markdown_table(labels, rows, ed)
