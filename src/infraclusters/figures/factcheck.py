"""Figure of the fact-check appendix: how the paper's numbers hold up against public sources."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..edition import Edition
from ..model import factcheck
from .marks import AGREEMENT_COLOURS, agreement_colour, domain, lines, row_step, split_label, wrap
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


def _what(checks: pd.DataFrame, words: pd.Series, ed: Edition) -> pd.Series:
    """What each checked claim is about: its entity, or for a claim without one its ``words`` where they fit two
    lines (longer words are not cut with …, which reads as a figure cut off: the tooltip gives them whole)."""
    fits = words.map(lambda t: t if len(wrap(t, 80)) < 2 else "")
    return ed.values(checks["entity"]).fillna(fits)


def _words(checks: pd.DataFrame, ed: Edition) -> pd.Series:
    """A claim's words in the edition's language: the paper's Chinese, or the English rendering."""
    return (checks["quote_zh"] if ed.is_chinese else checks["text_en"]).fillna("")


#: Pixels between two marks of one claim in one verdict's column, and a verdict's column.
SLOT_PX, COLUMN_PX = 14, 72


def factcheck_chart(checks: pd.DataFrame, ed: Edition) -> alt.Chart:
    """One mark per fact check: the claim (rows, in ledger order) against the agreement found."""
    words = _words(checks, ed)
    frame = checks.assign(
        claim=(checks["claim_id"] + "  " + _what(checks, words, ed)).map(lambda t: lines(t.strip(), 46)),
        words=words,
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
            "words",
            "agreement",
            "paper_value",
            "independent_value",
            "independent_as_of",
            *factcheck.COMPARISONS,
            "source",
        ]
    ]
    # A claim checked against several pages with one verdict gets one slot each, centred in the verdict's column
    # (an offset over all checks would push each mark across its column, towards the next verdict).
    group = frame.groupby(["claim_id", "agreement"])
    frame["slot"] = group.cumcount() - (group["check_id"].transform("size") - 1) / 2
    claim_order = list(dict.fromkeys(frame["claim"]))
    labels = domain(AGREEMENT_COLOURS, ed)
    return (
        alt.Chart(frame)
        .mark_square(size=150, opacity=0.9)
        .encode(
            x=alt.X(
                "agreement:N",
                sort=labels,
                # every verdict a column, an empty one too: zero is a finding; no padding, so a column is COLUMN_PX
                scale=alt.Scale(domain=labels, paddingInner=0, paddingOuter=0),
                title=ed.t("Public source vs the paper 公开来源与论文"),
                axis=alt.Axis(labelAngle=0, orient="top", labelExpr="split(datum.label, ', ')"),
            ),
            y=alt.Y("claim:N", sort=claim_order, title=None, axis=split_label(300)),
            xOffset=alt.XOffset(
                "slot:Q",
                scale=alt.Scale(domain=[-3, 3], range=[COLUMN_PX / 2 - SLOT_PX * 3, COLUMN_PX / 2 + SLOT_PX * 3]),
            ),
            color=agreement_colour(ed),
            tooltip=[
                alt.Tooltip("check_id:N", title=ed.t("Check")),
                alt.Tooltip("claim_id:N", title=ed.t("Claim")),
                alt.Tooltip("words:N", title=ed.t("What the claim says")),
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
        .properties(width=COLUMN_PX * len(labels), height=row_step(frame["claim"], 17))
    )
