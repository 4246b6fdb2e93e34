"""schema.org ``ClaimReview`` for every fact check, so a fact-checker's tools read the checks as checks.

Each check becomes one ClaimReview: the paper's exact words as
``claimReviewed``, the paper as the claim's appearance, the rubric's verdict as
the rating, the public source it was checked against (title, address, date,
and the date it was read) as ``isBasedOn``. The four verdicts that compare
values are rated on a scale of 1 to 4; "not comparable" and "not found" are
ratings without a value. The JSON is written so that no value, whatever it
holds, can close the ``<script>`` element it sits in.
"""

from __future__ import annotations

import json
import re

from ..edition import N_, Edition
from ..model import factcheck
from .citation import BOOK_AUTHOR, BOOK_DATE, PAPER_KEY, bib_fields, site_url

#: Verdicts that compare values, on schema.org's scale (worst 1, best 4).
RATING = {"disagrees": 1, "partially agrees": 2, "agrees, other date": 3, "agrees": 4}
#: The types and properties used here; each property is one schema.org gives that type (or a parent type).
SCHEMA = {
    "ClaimReview": {"@context", "@type", "@id", "name", "url", "claimReviewed", "itemReviewed", "reviewRating",
                    "reviewBody", "author", "isBasedOn", "inLanguage", "datePublished"},
    "Claim": {"@type", "appearance", "author", "datePublished", "inLanguage"},
    "ScholarlyArticle": {"@type", "headline", "alternativeHeadline", "author", "datePublished", "isPartOf", "url"},
    "Periodical": {"@type", "name", "alternateName"},
    "Person": {"@type", "name", "familyName", "givenName"},
    "Organization": {"@type", "name"},
    "Rating": {"@type", "ratingValue", "bestRating", "worstRating", "alternateName", "ratingExplanation"},
    "WebPage": {"@type", "name", "url", "datePublished", "lastReviewed"},
    "CreativeWork": {"@type", "name", "url", "datePublished", "lastReviewed"},
}  # fmt: skip


def _paper() -> dict:
    fields = bib_fields(PAPER_KEY)
    names = [[part.strip() for part in a.split(",")] for a in fields["author"].split(" and ")]
    chinese_title = re.search(r"Chinese title: ([^.]+)\.", fields.get("note", ""))
    return {
        "@type": "ScholarlyArticle",
        "headline": chinese_title.group(1) if chinese_title else fields["title"],
        "alternativeHeadline": fields["title"],
        "author": [  # the byline's order, family name first
            {"@type": "Person", "name": f"{family} {given}", "familyName": family, "givenName": given}
            for family, given in names
        ],
        "datePublished": fields["year"],
        "isPartOf": {"@type": "Periodical", "name": "中国科学院院刊", "alternateName": fields["journal"]},
        "url": fields["url"],
    }


def _source(keys: str) -> list[dict]:
    """The public pages a check read (its ``source`` keys that are bibliography entries)."""
    found = []
    for key in [k.strip() for k in str(keys).split(";") if k.strip()]:
        try:
            fields = bib_fields(key)
        except KeyError:  # "paper §…": the paper itself, no public page
            continue
        page = {"@type": "WebPage" if fields.get("url") else "CreativeWork", "name": fields.get("title", key)}
        for name, target in (("url", "url"), ("date", "datePublished"), ("urldate", "lastReviewed")):
            if fields.get(name):
                page[target] = fields[name]
        found.append(page)
    return found


#: The fact-check page, where each review is shown (its row's anchor is the check's id).
PAGE = "chapters/factcheck"
SEVERAL = N_(
    "The paper's claim was checked against {n} public pages, and each check is its own review, rated on what "
    "that page says ({ratings}): the pages differ in date, metric or scope, and the book does not merge them into "
    "one verdict."
)


def check_url(check_id: str, ed: Edition) -> str:
    """The review's address: the check's row on the fact-check page; absolute once the book has an address (see
    :func:`.citation.site_url`), else relative to that page, which hosts the review."""
    anchor = check_anchor(check_id)
    return site_url(f"{PAGE}.html#{anchor}", ed) or f"factcheck.html#{anchor}"


def check_anchor(check_id: str) -> str:
    """The id of a check's row on the fact-check page (``FC-01`` → ``fc-01``), where its review points."""
    return re.sub(r"[^a-z0-9-]", "", str(check_id).lower())


def reviews(c, ed: Edition) -> list[dict]:
    """One ClaimReview per fact check, in ledger order; a claim checked against several pages says why it has
    several reviews, and which rating each gives."""
    paper = _paper()
    result = []
    checks = factcheck.checks(c)
    per_claim = checks.groupby("claim_id", sort=False)["check_id"].apply(list).to_dict()
    verdicts = dict(zip(checks["check_id"], checks["agreement"], strict=True))
    for row in checks.itertuples():
        verdict = str(row.agreement)
        rating = {"@type": "Rating", "alternateName": ed.t(verdict)}
        if verdict in RATING:
            rating.update(ratingValue=RATING[verdict], bestRating=max(RATING.values()), worstRating=1)
        note = str(row.note) if isinstance(row.note, str) else ""
        if note:
            rating["ratingExplanation"] = ed.t(note)
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "@id": check_url(row.check_id, ed),
            "name": f"{row.check_id} · {row.claim_id}",
            "url": check_url(row.check_id, ed),
            "datePublished": BOOK_DATE,
            "claimReviewed": str(row.quote_zh),
            "itemReviewed": {
                "@type": "Claim",
                "appearance": paper,
                "author": paper["author"],
                "datePublished": paper["datePublished"],
                "inLanguage": "zh-CN",
            },
            "reviewRating": rating,
            "author": {"@type": "Organization", "name": BOOK_AUTHOR},
            "inLanguage": "zh-CN" if ed.is_chinese else "en",
        }
        siblings = per_claim[row.claim_id]
        if len(siblings) > 1:
            ratings = ed.sep.join(f"{k} {ed.t(str(verdicts[k]))}" for k in siblings)
            review["reviewBody"] = ed.t(SEVERAL).format(n=len(siblings), ratings=ratings)
        sources = _source(row.source)
        if sources:
            review["isBasedOn"] = sources
        result.append(review)
    return result


def script(items: list[dict]) -> str:
    """The ``<script type="application/ld+json">`` element; ``<``, ``>`` and ``&`` escaped inside strings."""
    text = json.dumps(items, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'
