"""Figure of the fact-check appendix: how the paper's numbers hold up against public sources."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..edition import Edition
from ..model import factcheck
from .marks import AGREEMENT_COLOURS, domain, lines, row_step, split_label
from .registry import figure


@figure(
    "fig-factcheck-agreement",
    title_en="How the paper's numbers hold up against public sources",
    title_zh="论文数据与公开来源的对照",
    caption=(
        "Each mark is one check of a quantitative or dated claim of the paper against an independent "
        "public page; a claim checked against several pages has several marks. The verdict follows from "
        "four comparisons (same value, metric, period, scope) by the rubric of this page. The tooltip "
        "shows both values, the date of the public one and the four comparisons. Not found means no page could be found, not that the "
        "paper is wrong."
    ),
    alt=(
        "A grid with the paper's checked claims as rows, in the paper's order, and six columns, the "
        "rubric's verdicts: agrees, agrees at another date, partially agrees, disagrees, not comparable, "
        "not found. Each check is a coloured square in the column of its verdict."
    ),
    sources=("data/fact_checks.csv", "data/claims.csv"),
    chapter="chapters/factcheck",
)
def _factcheck(c, ed):
    return factcheck_chart(factcheck.checks(c), ed=ed)


def factcheck_chart(checks: pd.DataFrame, ed: Edition) -> alt.Chart:
    """One mark per fact check: the claim (rows, in ledger order) against the agreement found."""
    frame = checks.assign(
        claim=(checks["claim_id"] + "  " + ed.values(checks["entity"]).fillna("")).map(lambda t: lines(t, 46)),
        agreement=ed.values(checks["agreement"]),
        paper_value=ed.values(checks["paper_value"]),
        independent_value=ed.values(checks["independent_value"]),
        independent_as_of=ed.values(checks["independent_as_of"]),
        **{field: ed.values(checks[field]) for field in factcheck.COMPARISONS},
    )[
        [
            "check_id",
            "claim_id",
            "claim",
            "agreement",
            "paper_value",
            "independent_value",
            "independent_as_of",
            *factcheck.COMPARISONS,
            "source",
        ]
    ]
    claim_order = list(dict.fromkeys(frame["claim"]))
    labels = domain(AGREEMENT_COLOURS, ed)
    return (
        alt.Chart(frame)
        .mark_square(size=150, opacity=0.9)
        .encode(
            x=alt.X(
                "agreement:N",
                sort=labels,
                scale=alt.Scale(domain=labels),  # every verdict a column, an empty one too: zero is a finding
                title=ed.t("Public source vs the paper 公开来源与论文"),
                axis=alt.Axis(labelAngle=0, orient="top", labelExpr="split(datum.label, ', ')"),
            ),
            y=alt.Y("claim:N", sort=claim_order, title=None, axis=split_label(300)),
            xOffset=alt.XOffset("check_id:N"),
            color=alt.Color(
                "agreement:N", scale=alt.Scale(domain=labels, range=list(AGREEMENT_COLOURS.values())), legend=None
            ),
            tooltip=[
                alt.Tooltip("check_id:N", title=ed.t("Check")),
                alt.Tooltip("claim_id:N", title=ed.t("Claim")),
                alt.Tooltip("paper_value:N", title=ed.t("Paper 论文")),
                alt.Tooltip("independent_value:N", title=ed.t("Public source 公开来源")),
                alt.Tooltip("independent_as_of:N", title=ed.t("As of")),
                alt.Tooltip("same_value:N", title=ed.t("Same value?")),
                alt.Tooltip("same_metric:N", title=ed.t("Same metric?")),
                alt.Tooltip("same_period:N", title=ed.t("Same period?")),
                alt.Tooltip("same_scope:N", title=ed.t("Same scope?")),
                alt.Tooltip("source:N", title=ed.t("Source")),
            ],
        )
        .properties(width=72 * len(labels), height=row_step(frame["claim"], 17))
    )
