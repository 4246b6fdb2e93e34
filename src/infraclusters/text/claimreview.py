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

from ..edition import Edition
from ..model import factcheck
from .citation import BOOK_AUTHOR, PAPER_KEY, bib_entry

#: Verdicts that compare values, on schema.org's scale (worst 1, best 4).
RATING = {"disagrees": 1, "partially agrees": 2, "agrees, other date": 3, "agrees": 4}
#: The types and properties used here; each property is one schema.org gives that type (or a parent type).
SCHEMA = {
    "ClaimReview": {"@context", "@type", "@id", "name", "url", "claimReviewed", "itemReviewed", "reviewRating",
                    "reviewBody", "author", "isBasedOn", "inLanguage"},
    "Claim": {"@type", "appearance", "author", "datePublished", "inLanguage"},
    "ScholarlyArticle": {"@type", "headline", "alternativeHeadline", "author", "datePublished", "isPartOf", "url"},
    "Periodical": {"@type", "name", "alternateName"},
    "Person": {"@type", "name", "familyName", "givenName"},
    "Organization": {"@type", "name"},
    "Rating": {"@type", "ratingValue", "bestRating", "worstRating", "alternateName", "ratingExplanation"},
    "WebPage": {"@type", "name", "url", "datePublished", "lastReviewed"},
    "CreativeWork": {"@type", "name", "url", "datePublished", "lastReviewed"},
}  # fmt: skip


def _fields(key: str) -> dict[str, str]:
    """The fields of one references.bib entry, braces removed (``title``, ``url``, ``date``, ``urldate``…)."""
    text = bib_entry(key)
    fields = {}
    for name, value in re.findall(r"^\s*(\w+)\s*=\s*\{(.*)\},?\s*$", text, flags=re.M):
        fields[name.lower()] = re.sub(r"[{}]", "", value).strip()
    return fields


def _paper() -> dict:
    fields = _fields(PAPER_KEY)
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
            fields = _fields(key)
        except KeyError:  # "paper §…": the paper itself, no public page
            continue
        page = {"@type": "WebPage" if fields.get("url") else "CreativeWork", "name": fields.get("title", key)}
        for name, target in (("url", "url"), ("date", "datePublished"), ("urldate", "lastReviewed")):
            if fields.get(name):
                page[target] = fields[name]
        found.append(page)
    return found


def ledger_anchor(claim_id: str) -> str:
    """The claim's anchor on the ledger page (its label ``claim-…`` as docutils makes ids of it)."""
    return "claim-" + re.sub(r"[^a-z0-9]+", "-", claim_id.lower()).strip("-")


def reviews(c, ed: Edition) -> list[dict]:
    """One ClaimReview per fact check, in ledger order."""
    paper = _paper()
    result = []
    for row in factcheck.checks(c).itertuples():
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
            "@id": f"#{row.check_id.lower()}",
            "name": f"{row.check_id} · {row.claim_id}",
            "url": f"claims.html#{ledger_anchor(row.claim_id)}",
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
