"""Figure of the recommendations chapter (§4): what each recommendation answers."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..edition import Edition
from ..model import recommendations
from .marks import one_line, two_line
from .registry import figure
from .theme import LINE_BREAK


@figure(
    "fig-recommendation-matrix",
    title_en="What each recommendation answers",
    title_zh="五条建议回应的问题与强化的机制",
    caption=(
        "The recommendations of §4 (rows) against the problems the introduction names and the mechanisms "
        "of §2 (columns). A coloured cell is a link this book codes from a sentence of §4 (point at or tap a "
        "cell for the sentence and the reading; the CSV data lists them); the paper does not draw these links itself, so all are our reading."
    ),
    alt=(
        "A grid of five recommendations by three problems and five mechanisms; coloured cells mark "
        "the problems a recommendation answers and the mechanisms it strengthens."
    ),
    sources=(
        "paper §4",
        "paper intro",
        "data/recommendations.csv",
        "data/recommendation_links.csv",
        "data/problems.csv",
        "data/mechanism_nodes.csv",
    ),
    chapter="chapters/recommendations",
    claims=("C0-14", "C0-15", "C0-16", "C4-01", "C4-05", "C4-10", "C4-14", "C4-18"),
)
def _recommendation_matrix(c, ed):
    return recommendation_matrix_chart(recommendations.matrix(c), ed=ed)


def recommendation_matrix_chart(table: pd.DataFrame, ed: Edition) -> alt.Chart:
    """Recommendations (rows) × the problems they answer and the mechanisms they strengthen (columns)."""
    kinds = {"problem": ed.t("问题 Problem (introduction)"), "mechanism": ed.t("机制 Mechanism (§2)")}
    linked = ed.t("linked 关联")
    frame = table.assign(
        recommendation=two_line(table["short_zh"], table["short_en"], wrap=30, ed=ed),
        target=two_line(table["name_zh"], table["name_en"], wrap=11, ed=ed),
        target_kind=table["kind"].map(kinds),
        link=table["linked"].map({True: linked, False: ed.t("no link 无")}),
        rationale_en=ed.values(table["rationale_en"]),
    )[
        [
            "recommendation",
            "rec_order",
            "target",
            "target_order",
            "target_kind",
            "link",
            "claim_id",
            "quote_zh",
            "rationale_en",
        ]
    ]
    rec_order = list(frame.sort_values("rec_order")["recommendation"].unique())
    target_order = list(frame.sort_values("target_order")["target"].unique())
    tooltip, calculations = one_line(
        [
            alt.Tooltip("recommendation:N", title=ed.t("Recommendation")),
            alt.Tooltip("target:N", title=ed.t("Answers")),
            alt.Tooltip("claim_id:N", title=ed.t("Claim")),
            alt.Tooltip("quote_zh:N", title=ed.t("Paper 原文")),
            alt.Tooltip("rationale_en:N", title=ed.t("Our reading")),
        ],
        "target",
        "recommendation",
    )
    return (
        alt.Chart(frame)
        .transform_calculate(**calculations)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=alt.X(
                "target:N",
                sort=target_order,
                title=None,
                # 10 px: the longest Chinese target (7 characters) fits its 72 px column, and the chart a laptop's
                axis=alt.Axis(labelAngle=0, labelFontSize=10, labelExpr=f"split(datum.label, '{LINE_BREAK}')"),
            ),
            y=alt.Y(
                "recommendation:N",
                sort=rec_order,
                title=None,
                axis=alt.Axis(labelLimit=220, labelExpr=f"split(datum.label, '{LINE_BREAK}')"),
            ),
            color=alt.condition(
                f"datum.link == '{linked}'",
                alt.Color(
                    "target_kind:N",
                    title=ed.t("Answers 回应"),
                    scale=alt.Scale(domain=list(kinds.values()), range=["#D55E00", "#0072B2"]),
                    legend=alt.Legend(orient="bottom"),
                ),
                alt.value("#f0f0f0"),
            ),
            tooltip=tooltip,
        )
        .properties(width=alt.Step(72), height=alt.Step(40))
    )
