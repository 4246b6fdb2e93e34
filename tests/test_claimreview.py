"""schema.org ClaimReview JSON-LD for every fact check, on the fact-check page."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT, compendium, contradict

from infraclusters.edition import Edition
from infraclusters.model import Compendium, factcheck
from infraclusters.text import citation, claimreview


def nodes(value):
    """Every JSON object inside ``value``, depth first."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from nodes(item)


def schema_problems(items: list[dict]) -> list[str]:
    """Each object's type is one of schema.org's that the module declares, with only that type's properties."""
    problems = []
    for node in nodes(items):
        kind = node.get("@type")
        if kind not in claimreview.SCHEMA:
            problems.append(f"unknown type {kind!r}")
            continue
        extra = set(node) - claimreview.SCHEMA[kind]
        if extra:
            problems.append(f"{kind}: {sorted(extra)} are not properties of {kind}")
    for review in items:
        missing = {"claimReviewed", "itemReviewed", "reviewRating", "author"} - set(review)
        if review.get("@type") != "ClaimReview" or missing:
            problems.append(f"{review.get('@id')}: not a complete ClaimReview (missing {sorted(missing)})")
    return problems


def test_every_check_is_a_claimreview_quoting_the_paper_with_the_rubrics_rating(paper):
    c = compendium()
    items = claimreview.reviews(c, Edition("en"))
    checks = factcheck.checks(c)
    assert len(items) == len(checks) == len(c.table("fact_checks"))
    assert schema_problems(items) == []
    for review, row in zip(items, checks.itertuples()):
        assert review["claimReviewed"] == row.quote_zh
        assert row.quote_zh in paper, "the paper's exact words"
        rating = review["reviewRating"]
        assert rating["alternateName"] == row.agreement
        assert rating.get("ratingValue") == claimreview.RATING.get(row.agreement)
        assert review["itemReviewed"]["appearance"]["headline"] == "依托创新基础设施集群培育未来产业的思考"
    based = [page for review in items for page in review.get("isBasedOn", [])]
    assert based and all(page["name"] and page.get("lastReviewed") for page in based), "the source, read when"


def test_a_schema_slip_is_caught():
    items = claimreview.reviews(compendium(), Edition("en"))
    items[0]["reviewRating"]["verdict"] = "agrees"
    items[1]["itemReviewed"]["@type"] = "Statement"
    assert len(schema_problems(items)) == 2


def test_a_contradicting_public_page_is_rated_1_of_4(data_copy):
    contradict(data_copy, "FC-20")
    items = claimreview.reviews(Compendium(data_copy, ROOT), Edition("en"))
    [review] = [r for r in items if r["name"].startswith("FC-20 ")]
    assert review["reviewRating"]["ratingValue"] == 1 == review["reviewRating"]["worstRating"]


def test_no_value_can_close_the_script_element():
    hostile = [{"@type": "ClaimReview", "reviewBody": "</script><script>alert(1)</script> & <!--"}]
    text = claimreview.script(hostile)
    inner = text.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == hostile


def test_the_fact_check_page_carries_the_json_ld_and_its_links_resolve(built_site):
    page = (built_site / "chapters" / "factcheck.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    items = json.loads(blocks[0])
    assert len(items) == len(compendium().table("fact_checks")) and schema_problems(items) == []
    for review in items:  # the review's address is its check's row on this page, the page that hosts it
        target, anchor = review["url"].split("#", 1)
        assert target == "factcheck.html" and review["@id"] == review["url"]
        assert page.count(f'id="{anchor}"') == 1, review["url"]
        assert review["datePublished"] == citation.BOOK_DATE


def test_a_claim_checked_against_several_pages_says_why_it_has_several_ratings():
    c = compendium()
    items = claimreview.reviews(c, Edition("en"))
    checks = factcheck.checks(c)
    several = checks.groupby("claim_id")["check_id"].count()
    several = several[several > 1]
    assert len(several) >= 1
    for review, row in zip(items, checks.itertuples()):
        if row.claim_id in several.index:
            body = review["reviewBody"]
            assert f"against {several[row.claim_id]} public pages" in body
            siblings = checks[checks["claim_id"] == row.claim_id]
            assert all(f"{k} {v}" in body for k, v in zip(siblings["check_id"], siblings["agreement"]))
        else:
            assert "reviewBody" not in review


def test_with_a_published_address_every_review_is_absolute(monkeypatch):
    monkeypatch.setattr(citation, "BOOK_URL", "https://example.org/book/")
    items = claimreview.reviews(compendium(), Edition("zh_CN"))
    assert all(r["url"].startswith("https://example.org/book/zh_CN/chapters/factcheck.html#fc-") for r in items)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_fact_check_heading_ends_its_sentence_once(c, language):
    """A claim named by its English sentence ("…in scale.") was followed by the heading's own stop: "scale.. 论文原文".
    In Chinese the quote is introduced with a full-width colon (论文原文：)."""
    from infraclusters.edition import Edition
    from infraclusters.text import tables

    text = tables.factcheck_table(factcheck.checks(c), Edition(language)).data
    assert not re.search(r"(?<!\.)\.\. |。。|\.。", text)
    colon = "论文原文：" if language == "zh_CN" else "论文原文: "
    assert colon in text and ("论文原文: " in text) == (language == "en")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_fact_check_chart_never_cuts_a_claims_words_and_its_tooltip_gives_them_whole(c, language):
    """A claim without a named entity was labelled by its words cut with "…" (a label that reads as cut off): now
    its words label the row only where they fit two lines, and every mark's tooltip gives them whole."""
    from infraclusters import figures

    drawn = figures.drawn_data(figures.build("fig-factcheck-agreement", c, Edition(language)))
    assert not drawn["claim"].str.contains("…").any()
    checks = factcheck.checks(c).set_index("check_id")
    words = checks["quote_zh"] if language == "zh_CN" else checks["text_en"]
    assert (drawn.set_index("check_id")["words"] == words.reindex(drawn["check_id"]).fillna("")).all()
    assert "What the claim says" in figures.build("fig-factcheck-agreement", c, Edition("en")).to_json()
