"""Each case's causal path, as the paper tells it (§3): steps, the actors named at each, and the counts beside them.

``data/case_paths.csv`` gives, per case, the sequence told (Hefei's
基础研究—技术开发—成果转化与孵化—未来产业 and Songshan Lake's facilities →
magnet → whole-chain model → models → industrial application, in the paper's
order; Zhangjiang's 张江研发 → 雨林 → 上海制造, the book's sequencing of a "+"
model, marked ``sequence = book``), the actors at each step and the claims
whose numbers belong there. :func:`links` tests the causal steps: which
documented relations carry each step from the ones before it. The counts are not typed into the path: they are the
claims' values (the paper) and their fact checks (public pages), each dated,
so a public figure that disagrees with the paper shows beside it.
"""

from __future__ import annotations

import pandas as pd

from . import factcheck

COLUMNS = ["step_id", "cluster_id", "step_order", "step_zh", "step_en", "sequence", "actors", "claim_ids", "source"]


def _items(cell) -> list[str]:
    """A ';'-separated cell as a list (an empty or missing cell: no items)."""
    if not isinstance(cell, str):
        return []
    return [item.strip() for item in cell.split(";") if item.strip()]


def steps(c, cluster_id: str) -> pd.DataFrame:
    """The case's steps in order, ``actors`` and ``claim_ids`` as lists (no rows for a cluster without a path)."""
    if "case_paths" not in c.table_names:
        return pd.DataFrame(columns=COLUMNS)
    table = c.table("case_paths")
    table = table[table["cluster_id"] == cluster_id].sort_values("step_order", ignore_index=True)
    if "sequence" not in table.columns:  # a data directory written before the column existed
        table = table.assign(sequence="paper")
    return table.assign(actors=table["actors"].map(_items), claim_ids=table["claim_ids"].map(_items))


def links(c, cluster_id: str) -> pd.DataFrame:
    """What carries each step from the steps before it: one row per step after the first.

    ``relation_ids`` are the documented relations (either direction) joining an
    actor of an earlier step to an actor of this one (a relation between two
    actors already present earlier belongs to the earlier step); ``carried_by`` the actors
    present at both; ``supported`` is True when either is non-empty. A step
    with neither is the paper's (or the book's) claim alone, and the figure
    draws it as unsupported.
    """
    path = steps(c, cluster_id)
    relations = c.table("relations")
    rows = []
    earlier: set[str] = set()
    for step in path.itertuples():
        here = set(step.actors)
        if earlier:
            joins = relations[
                (
                    (relations["from_id"].isin(earlier) & relations["to_id"].isin(here))
                    | (relations["to_id"].isin(earlier) & relations["from_id"].isin(here))
                )
                & ~(relations["from_id"].isin(earlier) & relations["to_id"].isin(earlier))
            ]
            ids = list(joins["relation_id"])
            carried = sorted(earlier & here)
            rows.append(
                {
                    "step_order": int(step.step_order),
                    "relation_ids": ids,
                    "relations": list(joins["relation"]),
                    "carried_by": carried,
                    "supported": bool(ids or carried),
                }
            )
        earlier |= here
    return pd.DataFrame(rows, columns=["step_order", "relation_ids", "relations", "carried_by", "supported"])


def actors(c, cluster_id: str) -> pd.DataFrame:
    """One row per (step, actor), with the actor's names and kind; actors of other clusters are named too."""
    path = steps(c, cluster_id)
    names = pd.concat(
        [
            c.table("facilities")[["facility_id", "name_zh", "name_en", "named_in_paper"]].rename(
                columns={"facility_id": "entity_id"}
            ),
            c.table("organisations")[["org_id", "name_zh", "name_en", "named_in_paper"]].rename(
                columns={"org_id": "entity_id"}
            ),
        ],
        ignore_index=True,
    ).set_index("entity_id")
    rows = [
        {"step_order": int(step.step_order), "entity_id": entity, **names.loc[entity].to_dict()}
        for step in path.itertuples()
        for entity in step.actors
    ]
    return pd.DataFrame(rows, columns=["step_order", "entity_id", "name_zh", "name_en", "named_in_paper"])


def counts(c, cluster_id: str) -> pd.DataFrame:
    """The numbers beside each step: the paper's (a claim's value) and the public pages' (its fact checks), dated.

    ``origin`` is ``paper`` or ``public``; ``agreement`` is the fact check's
    verdict for a public row. A claim without a value gives a paper row only
    where a public page was found, with its words (``text_en``, ``quote_zh``)
    in place of a number; without either, it gives no row.
    """
    path = steps(c, cluster_id)
    claims = c.claims.set_index("claim_id")
    checks = factcheck.table(c)
    rows = []
    for step in path.itertuples():
        for claim_id in step.claim_ids:
            claim = claims.loc[claim_id]
            found = checks[(checks["claim_id"] == claim_id) & (checks["agreement"] != "not found")]
            if pd.notna(claim["value"]) or len(found):
                worded = pd.isna(claim["value"])
                rows.append(
                    {
                        "step_order": int(step.step_order),
                        "claim_id": claim_id,
                        "origin": "paper",
                        "value": None if worded else float(claim["value"]),
                        "unit": claim["unit"],
                        "entity": claim["entity"],
                        "text_en": claim["text_en"] if worded else None,
                        "quote_zh": claim["quote_zh"] if worded else None,
                        "as_of": claim["as_of"],
                        "agreement": None,
                        "source": claim["source"],
                    }
                )
            for check in found.itertuples():
                rows.append(
                    {
                        "step_order": int(step.step_order),
                        "claim_id": claim_id,
                        "origin": "public",
                        "value": None,
                        "unit": None,
                        "entity": None,
                        "text_en": check.independent_value,
                        "quote_zh": None,
                        "as_of": check.independent_as_of,
                        "agreement": check.agreement,
                        "source": check.source,
                    }
                )
    columns = [
        "step_order",
        "claim_id",
        "origin",
        "value",
        "unit",
        "entity",
        "text_en",
        "quote_zh",
        "as_of",
        "agreement",
        "source",
    ]
    return pd.DataFrame(rows, columns=columns)
