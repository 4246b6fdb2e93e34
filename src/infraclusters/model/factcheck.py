"""The paper's numbers beside what public sources say, dated, never merged into one value."""

from __future__ import annotations

import pandas as pd

AGREEMENT_ORDER = ["agrees", "partially agrees", "disagrees", "not found"]


def checks(c) -> pd.DataFrame:
    """Every fact check joined with the claim it checks, in ledger order."""
    claims = c.table("claims")[["claim_id", "section", "quote_zh", "text_en", "entity", "as_of"]]
    table = c.table("fact_checks").merge(claims, on="claim_id", how="left", validate="many_to_one")
    order = {claim: position for position, claim in enumerate(claims["claim_id"])}
    return table.sort_values(
        ["claim_id", "check_id"], key=lambda col: col.map(order) if col.name == "claim_id" else col, ignore_index=True
    )


def agreement_counts(table: pd.DataFrame) -> dict[str, int]:
    """Number of checks per agreement label, every label present (zero if unused)."""
    counts = table["agreement"].value_counts()
    return {label: int(counts.get(label, 0)) for label in AGREEMENT_ORDER}


def summary_numbers(c) -> dict[str, int]:
    """What the fact-check page's prose quotes."""
    table = checks(c)
    numbers = {f"fc_{label.replace(' ', '_')}": n for label, n in agreement_counts(table).items()}
    numbers["fc_checks"] = len(table)
    numbers["fc_claims"] = table["claim_id"].nunique()
    numbers["fc_quantitative_claims"] = int(c.table("claims")["value"].notna().sum())
    return numbers
