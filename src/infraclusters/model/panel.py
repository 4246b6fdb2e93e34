"""The national panel: the paper's three cases among every national major facility and science centre.

Three tables (``panel_facilities``, ``panel_centres``, ``panel_counts``) hold what public pages say of
China's national major science and technology infrastructure facilities (国家重大科技基础设施), its
comprehensive national science centres (综合性国家科学中心) and the official counts of the facilities.
This module measures them, with no language: how complete the panel is against the official counts,
how the facilities sit in cities and centres, whether the paper's three cases are typical, and two of
§1's claims (facilities cluster; a cluster gathers facilities of related fields). Every measure is
computed under several readings of the rows (:data:`READINGS`), so each verdict says what it rests on.

A row of ``panel_facilities`` is a site: a facility built in two cities has a row for each, the second
naming the first in ``part_of``. Counts of facilities take whole facilities (``part_of`` empty); counts
by city or centre take sites.
"""

from __future__ import annotations

import pandas as pd

#: The seven fields of the national plan for major S&T infrastructure, 2012–2030 (能源、生命、地球系统与环境、
#: 材料、粒子物理和核物理、空间和天文、工程技术), in the plan's order.
FIELDS = ("energy", "life", "earth_environment", "materials", "particle_nuclear", "space_astronomy", "engineering")
#: Whether a page names a row a national major S&T infrastructure facility: ``named`` (a page names it so, or
#: a national plan lists it), ``by_process`` (no page read names it so, but one reports the national steps of
#: such a facility: NDRC approval or national acceptance; the book's reading), ``not_stated`` (neither).
DESIGNATIONS = ("named", "by_process", "not_stated")
#: Statuses that count as built or being built, and as operating.
BUILDING = ("operating", "trial operation", "under construction")
OPERATING = ("operating", "trial operation")
#: A city hosting at least this many facility sites hosts a cluster of them.
CLUSTER_SIZE = 3
#: The year the first comprehensive national science centre was approved (Zhangjiang, February 2016): the
#: panel's facilities dated from it on are the "recent" ones of §1.2's trend.
CENTRES_FROM = 2016

#: The readings of the rows every verdict is computed under: which facilities count, and whether a field the
#: book (not a page) assigned counts. The first is the book's reading.
READINGS = {
    "national": {"designations": ("named", "by_process"), "inferred_fields": True},
    "named_only": {"designations": ("named",), "inferred_fields": True},
    "every_row": {"designations": DESIGNATIONS, "inferred_fields": True},
    "stated_fields": {"designations": ("named", "by_process"), "inferred_fields": False},
}


def sites(c, reading: str = "national") -> pd.DataFrame:
    """The panel's facility sites counted under ``reading`` (a key of :data:`READINGS`); under a reading that
    drops the book's fields, a field no page states is empty."""
    rule = READINGS[reading]
    table = c.table("panel_facilities")
    table = table[table["designation"].isin(rule["designations"])].reset_index(drop=True)
    if not rule["inferred_fields"]:
        table["field"] = table["field"].where(table["field_basis"] == "page")
    return table


def facilities(c, reading: str = "national") -> pd.DataFrame:
    """Whole facilities (one row each, the main site of a facility built in several places)."""
    table = sites(c, reading)
    return table[table["part_of"].isna()].reset_index(drop=True)


def centres(c) -> pd.DataFrame:
    """The comprehensive national science centres (and their areas), the regional one and the cities seeking one."""
    return c.table("panel_centres")


def latest_counts(c, scope: str = "national") -> pd.DataFrame:
    """The latest dated official count of each measure (laid out, built and building, operating)."""
    counts = c.table("panel_counts")
    counts = counts[(counts["scope"] == scope) & counts["as_of"].notna()]
    counts = counts[counts["measure"].isin(("laid_out", "built_and_building", "operating"))]
    return counts.sort_values(["measure", "as_of"]).groupby("measure").tail(1).reset_index(drop=True)


def completeness(c, reading: str = "national") -> pd.DataFrame:
    """For each latest official national count, the panel's own count of the same thing and its share.

    ``laid out`` is compared with every whole facility of the panel; ``built and building`` with those whose
    status is operating, in trial operation or under construction; ``operating`` with the operating ones.
    A facility with no status on a page counts only in the first.
    """
    table = facilities(c, reading)
    panel = {
        "laid_out": len(table),
        "built_and_building": int(table["status"].isin(BUILDING).sum()),
        "operating": int(table["status"].isin(OPERATING).sum()),
    }
    official = latest_counts(c)
    official = official.assign(panel=official["measure"].map(panel))
    official["share"] = official["panel"] / official["value"]
    return official[["count_id", "measure", "value", "qualifier", "as_of", "panel", "share", "source"]]


def places(c, reading: str = "national") -> pd.DataFrame:
    """Each host city: its facility sites in all and by field, its science centre(s) and the case it holds."""
    table = sites(c, reading)
    table = table[table["city_zh"].notna()]
    case_of = centres(c).dropna(subset=["cluster_id"]).set_index("centre_id")["cluster_id"]
    rows = []
    for (zh, en), group in table.groupby(["city_zh", "city_en"], sort=False):
        row = {"city_zh": zh, "city_en": en, "sites": len(group)}
        for field in (*FIELDS, None):
            key = field or "unknown"
            row[key] = int((group["field"] == field).sum()) if field else int(group["field"].isna().sum())
        held = group["science_centre"].dropna().unique()
        row["centres"] = "; ".join(sorted(held))
        row["case"] = "; ".join(sorted(case_of[case_of.index.isin(held)]))
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.sort_values(["sites", "city_en"], ascending=[False, True], ignore_index=True)


def clustering(c, reading: str = "national") -> dict:
    """§1.2: do national facilities cluster? Shares of sites in cities hosting :data:`CLUSTER_SIZE` or more,
    and alone in their city; and in a comprehensive centre before and from :data:`CENTRES_FROM`."""
    table = sites(c, reading)
    located = table[table["city_zh"].notna()]
    per_city = located.groupby("city_zh")["facility_id"].transform("count")
    in_centre = table["science_centre"].notna()
    dated = table.dropna(subset=["year"])
    recent = dated["year"] >= CENTRES_FROM
    dated_in_centre = dated["science_centre"].notna()
    return {
        "sites": len(table),
        "located": len(located),
        "cities": int(located["city_zh"].nunique()),
        "clustered": float((per_city >= CLUSTER_SIZE).mean()) if len(located) else float("nan"),
        "alone": float((per_city == 1).mean()) if len(located) else float("nan"),
        "in_centres": float(in_centre.mean()) if len(table) else float("nan"),
        "dated_before": int((~recent).sum()),
        "dated_since": int(recent.sum()),
        "in_centres_before": float(dated_in_centre[~recent].mean()) if (~recent).any() else float("nan"),
        "in_centres_since": float(dated_in_centre[recent].mean()) if recent.any() else float("nan"),
    }


def centre_profiles(c, reading: str = "national") -> pd.DataFrame:
    """Each comprehensive centre (or area): its sites, fields, its largest field's share, and the case it holds.

    ``top_share`` is the share of the sites with a field that are in the commonest field; ``related`` is True
    when that share is at least one half (§2.1: a cluster deploys facilities of closely related fields)."""
    table = sites(c, reading)
    rows = []
    for centre in centres(c)[lambda f: f["kind"] == "comprehensive"].itertuples():
        group = table[table["science_centre"] == centre.centre_id]
        fielded = group["field"].dropna()
        counts = fielded.value_counts()
        top = counts.index[0] if len(counts) else None
        share = float(counts.iloc[0] / len(fielded)) if len(counts) else float("nan")
        rows.append(
            {
                "centre_id": centre.centre_id,
                "name_zh": centre.name_zh,
                "name_en": centre.name_en,
                "cluster_id": centre.cluster_id if isinstance(centre.cluster_id, str) else None,
                "sites": len(group),
                "fields": int(fielded.nunique()),
                "unknown_field": int(group["field"].isna().sum()),
                "top_field": top,
                "top_share": share,
                "related": bool(share >= 0.5) if len(counts) else None,
                "industry_field": centre.industry_field if isinstance(centre.industry_field, str) else None,
                "industry_share": float((fielded == centre.industry_field).mean())
                if len(fielded) and isinstance(centre.industry_field, str)
                else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def typicality(c, reading: str = "national") -> pd.DataFrame:
    """Is each case's centre typical of the comprehensive centres by its number of facility sites?

    ``standing`` is ``largest`` (more than every other centre), ``smallest`` (fewer than every other) or
    ``within`` (inside the others' range); ``rank`` counts from the largest (1). ``top_quarter``: the case's city is
    in the top quarter of host cities by sites (a large host rather than a typical one)."""
    profiles = centre_profiles(c, reading)
    hosts = places(c, reading)
    rows = []
    for row in profiles.dropna(subset=["cluster_id"]).itertuples():
        others = profiles.loc[profiles["centre_id"] != row.centre_id, "sites"]
        standing = "largest" if row.sites > others.max() else "smallest" if row.sites < others.min() else "within"
        city = hosts[hosts["case"].str.split("; ").apply(lambda cases, cid=row.cluster_id: cid in cases)]
        city_sites = int(city["sites"].iloc[0]) if len(city) else 0
        rows.append(
            {
                "cluster_id": row.cluster_id,
                "centre_id": row.centre_id,
                "sites": row.sites,
                "rank": int((profiles["sites"] > row.sites).sum() + 1),
                "centres": len(profiles),
                "median_others": float(others.median()),
                "standing": standing,
                "city_sites": city_sites,
                "city_rank": int((hosts["sites"] > city_sites).sum() + 1),
                "cities": len(hosts),
                "median_cities": float(hosts["sites"].median()) if len(hosts) else float("nan"),
            }
        )
    columns = ["cluster_id", "centre_id", "sites", "rank", "centres", "median_others", "standing"]
    frame = pd.DataFrame(rows, columns=[*columns, "city_sites", "city_rank", "cities", "median_cities"])
    return frame.assign(top_quarter=frame["city_rank"] <= -(-frame["cities"] // 4))


def verdicts(c, reading: str = "national") -> dict:
    """The panel's findings under one reading: each a value the chapter states and a sensitivity table compares."""
    found = clustering(c, reading)
    profiles = centre_profiles(c, reading)
    typical = typicality(c, reading).set_index("cluster_id")
    result = {
        "clustered": found["clustered"] >= 0.5,  # most sites sit in a city of several
        "recent_in_centres": found["in_centres_since"] > found["in_centres_before"],
        "related_centres": int(profiles["related"].fillna(False).sum()),
        "centres_with_fields": int(profiles["related"].notna().sum()),
    }
    for cluster_id, row in typical.iterrows():
        result[f"standing:{cluster_id}"] = row["standing"]
    result["cases_top_quarter"] = int(typical["top_quarter"].sum())
    return result


def sensitivity(c) -> pd.DataFrame:
    """Every verdict under every reading, and whether it holds as the book reads the rows (``national``)."""
    base = verdicts(c, "national")
    rows = []
    for reading in READINGS:
        found = verdicts(c, reading)
        rows.append({"reading": reading, **found, "changed": [k for k in base if found.get(k) != base[k]]})
    return pd.DataFrame(rows)


def footing(c) -> dict:
    """What the panel's rows rest on: counts of rows by designation and by the basis of their field."""
    table = sites(c, "every_row")
    return {
        "designation": {d: int((table["designation"] == d).sum()) for d in DESIGNATIONS},
        "field_basis": {
            "stated": int((table["field_basis"] == "page").sum()),
            "inferred": int((table["field_basis"] == "inferred").sum()),
            "none": int(table["field"].isna().sum()),
        },
    }
