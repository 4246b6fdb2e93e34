"""The paper's numbers beside what public sources say, dated, never merged into one value.

One rubric grades every check. A check records four comparisons, each ``yes``,
``no`` or ``unknown`` (``data/fact_checks.csv``): does the public page give the
same value, count the same metric, date it to the same period, cover the same
scope? The verdict follows from these four fields alone (:func:`verdict`), so
two checks with the same fields always get the same verdict, and a reader who
disputes a verdict disputes a field.
"""

from __future__ import annotations

import pandas as pd

#: The four comparisons a check records, in the order the rubric reads them.
COMPARISONS = ("same_value", "same_metric", "same_period", "same_scope")

#: The verdicts, in the order the page and the figure show them (the rubric's rules are
#: written out beside them in :data:`infraclusters.text.tables.RUBRIC`).
AGREEMENT_ORDER = [
    "agrees",
    "agrees, other date",
    "partially agrees",
    "disagrees",
    "not comparable",
    "not found",
]


def verdict(same_value, same_metric, same_period, same_scope) -> str:
    """The rubric: a verdict from the four comparisons (``yes``, ``no``, ``unknown``; missing = not found)."""
    fields = (same_value, same_metric, same_period, same_scope)
    if all(not isinstance(f, str) or not f for f in fields):
        return "not found"
    value, metric, period, scope = (f == "yes" for f in fields)
    if value and metric and scope:
        return "agrees" if period else "agrees, other date"
    if value:
        return "partially agrees"
    if metric and scope and period:
        return "disagrees"
    return "not comparable"


def graded(table: pd.DataFrame) -> pd.DataFrame:
    """The fact-check table with its ``agreement`` (the rubric's verdict) added to every row."""
    if table.empty:
        return table.assign(agreement=pd.Series(dtype=object))
    grades = [verdict(*(row[f] for f in COMPARISONS)) for _, row in table.iterrows()]
    return table.assign(agreement=grades)


def table(c) -> pd.DataFrame:
    """``data/fact_checks.csv``, graded."""
    return graded(c.table("fact_checks"))


def checks(c) -> pd.DataFrame:
    """Every fact check joined with the claim it checks, in ledger order, graded.

    ``dated_earlier`` is True when the public value is dated before the
    paper's own "as of" date for the claim (both dates compared at the
    precision they share), so a match with an earlier figure can be said.
    """
    claims = c.table("claims")[["claim_id", "section", "quote_zh", "text_en", "entity", "as_of"]]
    joined = table(c).merge(claims, on="claim_id", how="left", validate="many_to_one")
    joined["dated_earlier"] = [
        _earlier(public, paper) for public, paper in zip(joined["independent_as_of"], joined["as_of"], strict=True)
    ]
    order = {claim: position for position, claim in enumerate(claims["claim_id"])}
    return joined.sort_values(
        ["claim_id", "check_id"], key=lambda col: col.map(order) if col.name == "claim_id" else col, ignore_index=True
    )


def _earlier(public, paper) -> bool:
    """Is the date ``public`` before ``paper``, at the precision both give (YYYY, YYYY-MM, YYYY-MM-DD)?"""
    if not isinstance(public, str) or not isinstance(paper, str) or not public or not paper:
        return False
    n = min(len(public), len(paper))
    return public[:n] < paper[:n]


def agreement_counts(table: pd.DataFrame) -> dict[str, int]:
    """Number of checks per verdict, every verdict present (zero if unused)."""
    counts = table["agreement"].value_counts()
    return {label: int(counts.get(label, 0)) for label in AGREEMENT_ORDER}


def earlier_matches(table: pd.DataFrame) -> pd.DataFrame:
    """Checks where a public figure dated before the paper's "as of" gives the paper's value for the same metric."""
    same = (table["same_value"] == "yes") & (table["same_metric"] == "yes") & (table["same_scope"] == "yes")
    return table[same & table["dated_earlier"]]


def summary_numbers(c) -> dict[str, int]:
    """What the fact-check page's prose quotes."""
    table = checks(c)
    numbers = {f"fc_{label.replace(' ', '_').replace(',', '')}": n for label, n in agreement_counts(table).items()}
    numbers["fc_checks"] = len(table)
    numbers["fc_claims"] = table["claim_id"].nunique()
    numbers["fc_quantitative_claims"] = int(c.table("claims")["value"].notna().sum())
    numbers["fc_earlier_matches"] = len(earlier_matches(table))
    return numbers
