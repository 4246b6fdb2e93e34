"""What a reference manager reads from a page: Highwire Press ``citation_*`` tags, as Zotero, Mendeley and Google
Scholar read them, and a canonical link once the book has an address.

Every page is a section of the book (``citation_inbook_title``), by the book's authors, dated with its
release, in its edition's language; the address and DOI come from ``CITATION.cff`` (see
:func:`..text.citation.site_url`) and are left out while the book has none. Values are page titles and the
book's own metadata, escaped as attribute text.
"""

from __future__ import annotations

import html
import re

from ..text import citation
from . import config


def tags(pagename: str, title: str, ed, root_doc: str) -> list[tuple[str, str]]:
    """The ``(name, content)`` pairs of a page's citation metadata."""
    found = [
        ("citation_title", title),
        ("citation_author", citation.BOOK_AUTHOR),
        ("citation_publication_date", citation.BOOK_DATE.replace("-", "/")),
        ("citation_language", "zh" if ed.is_chinese else "en"),
        ("citation_version", citation.BOOK_VERSION),
    ]
    if pagename != root_doc:
        found.append(("citation_inbook_title", citation.book_title(ed) + ("（中文版）" if ed.is_chinese else "")))
    where = citation.site_url(f"{pagename}.html", ed)
    if where:
        found += [("citation_public_url", where), ("citation_abstract_html_url", where)]
    if citation.BOOK_DOI:
        found.append(("citation_doi", citation.BOOK_DOI))
    return found


def add(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: the citation tags (and canonical link) in the page's head."""
    if app.builder.name != "html" or doctree is None:
        return
    ed = config.from_app(app).edition
    title = html.unescape(re.sub(r"<[^>]+>", "", str(context.get("title") or ""))).strip()
    lines = [
        f'<meta name="{name}" content="{html.escape(value, quote=True)}">'
        for name, value in tags(pagename, title, ed, app.config.root_doc)
    ]
    where = citation.site_url(f"{pagename}.html", ed)
    if where:
        lines.append(f'<link rel="canonical" href="{html.escape(where, quote=True)}">')
    context["metatags"] = context.get("metatags", "") + "\n".join(lines) + "\n"
