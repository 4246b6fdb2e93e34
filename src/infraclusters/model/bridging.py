"""The middle of the chain, counted (§2.2): dated counts of bridging platforms beside the research end.

The paper's valley of death is a chain "两头重、中间轻": heavy at the ends,
light in the middle. ``data/bridging_counts.csv`` holds what public pages
count of the middle (incubators, pilot bases, spin-offs) and of the research
end (laboratories, new-type and other R&D institutions) for each case, each with the place it covers and its date. Places and dates differ from
row to row, so counts are set side by side only where one page counts both
ends of one place on one date: :func:`comparisons`. Anything else would compare
a city with a park, or 2015 with 2024.

The ends follow the paper's designations: §1.3 lists 新型研发机构 among
research infrastructure, so they count at the research end. The book's earlier
reading, which put them in the middle as bridging platforms, is kept as a
flagged alternative (:data:`READINGS`), so a reader sees what it changes.
"""

from __future__ import annotations

import pandas as pd

#: ``paper``: the ends as recorded (§1.3's designations); ``new_rd_in_middle``: new-type R&D
#: institutions moved to the middle, the book's earlier reading against §1.3.
READINGS = ("paper", "new_rd_in_middle")


def counts(c) -> pd.DataFrame:
    """Every count with its case's names, in case order, then middle before research, then date."""
    if "bridging_counts" not in c.table_names:
        return pd.DataFrame(columns=["count_id", "cluster_id", "scope_en", "end", "kind_en", "value", "as_of"])
    clusters = c.clusters[["cluster_id", "name_zh", "name_en"]].reset_index(names="cluster_order")
    table = c.table("bridging_counts").merge(clusters, on="cluster_id")
    return table.sort_values(["cluster_order", "end", "as_of", "count_id"], ignore_index=True)


def comparisons(c, reading: str = "paper") -> pd.DataFrame:
    """Where one page counts the middle and the research end of one place on one date: both sums, and which is lighter.

    ``middle_light`` is True when the middle count is below the research-end
    count, as the paper's 两头重、中间轻 would have it. ``reading`` is one of
    :data:`READINGS`.
    """
    if reading not in READINGS:
        raise ValueError(f"unknown reading {reading!r}; readings are {', '.join(READINGS)}")
    table = counts(c)
    if reading == "new_rd_in_middle" and "type_id" in table.columns:
        table = table.assign(end=table["end"].mask(table["type_id"] == "new_rd_institution", "middle"))
    rows = []
    for (cluster, scope, as_of, source), group in table.groupby(
        ["cluster_id", "scope_en", "as_of", "source"], sort=False
    ):
        ends = set(group["end"])
        if ends == {"middle", "research"}:
            middle = int(group.loc[group["end"] == "middle", "value"].sum())
            research = int(group.loc[group["end"] == "research", "value"].sum())
            rows.append(
                {
                    "cluster_id": cluster,
                    "name_zh": group["name_zh"].iloc[0],
                    "name_en": group["name_en"].iloc[0],
                    "scope_en": scope,
                    "as_of": as_of,
                    "source": source,
                    "middle": middle,
                    "research": research,
                    "middle_light": middle < research,
                }
            )
    columns = ["cluster_id", "name_zh", "name_en", "scope_en", "as_of", "source", "middle", "research", "middle_light"]
    return pd.DataFrame(rows, columns=columns)
