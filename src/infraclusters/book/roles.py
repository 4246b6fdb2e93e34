"""Roles and page decorations: ``{claim}`` links, and the link to the other edition on every page."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from ..edition import CHINESE, ENGLISH
from . import config


def claim_label(claim_id: str) -> str:
    return "claim-" + claim_id.lower()


def claim_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{claim}`C1.1-04```: a checked link to the claim's entry in the ledger appendix."""
    claim_id = text.strip()
    env = inliner.document.settings.env
    book = config.of(env)
    env.note_dependency(str(book.data_dir / "claims.csv"))
    if claim_id not in set(book.compendium().claims["claim_id"]):
        message = inliner.reporter.error(f"unknown claim id {claim_id!r}: not in data/claims.csv", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    node = addnodes.pending_xref(
        rawtext,
        nodes.inline(claim_id, claim_id),
        refdomain="std",
        reftype="ref",
        reftarget=claim_label(claim_id),
        refexplicit=True,
        refwarn=True,
    )
    # the class sits on a wrapper: Sphinx replaces the reference's own inline when it resolves it
    return [nodes.inline("", "", node, classes=["infra-claim"])], []


def edition_links(app, pagename, templatename, context, doctree) -> None:
    """Every page links to the same page in the other edition (published side by side)."""
    if app.builder.name != "html" or not app.config.infraclusters_edition_links:
        return  # a page rendered alone (``case``) has no other edition beside it
    english = config.from_app(app).edition.is_english
    up = "../" * pagename.count("/")
    if english:
        href, other, label, hreflang = f"{up}{CHINESE}/{pagename}.html", CHINESE, "中文版", "zh-CN"
    else:
        href, other, label, hreflang = f"{up}../{pagename}.html", ENGLISH, "English edition", "en"
    context["metatags"] = context.get("metatags", "") + f'<link rel="alternate" hreflang="{hreflang}" href="{href}">\n'
    switch = (
        f'<p class="infra-edition-switch"><a href="{href}" hreflang="{hreflang}" lang="{hreflang}" '
        f'data-edition="{other}">{label}</a></p>\n'
    )
    context["body"] = switch + context.get("body", "")
