"""Links that can only lead to a web page: a ``javascript:``, ``data:`` or ``file:`` address is never a link.

A reader's bibliography reaches the page through sphinxcontrib-bibtex, which links a ``url`` field and any
``\\url{}`` in any field. After every page is resolved, :class:`OnlyWebLinks` turns each reference whose
address has a scheme other than http(s) or mailto into its plain words. Addresses within the site (no scheme)
are untouched.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

#: Schemes a link may have. Browsers drop tabs, line breaks and control characters from a scheme, so they are
#: removed before it is read (``java\tscript:``).
SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def is_web_address(url: str) -> bool:
    """Whether ``url`` is a web page's address: http(s) with a host, and no character a browser would drop
    from a scheme (``java\tscript:``) or that could end an attribute."""
    from urllib.parse import urlsplit

    if not url or any(ord(ch) < 33 or ch in "\"'<>`\\" for ch in url):
        return False
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def is_safe_address(address: str) -> bool:
    """Whether ``address`` may be a link: within the site (no scheme), or http(s) or mailto."""
    plain = re.sub(r"[\x00-\x20\x7f]", "", address).lower()
    scheme = _SCHEME.match(plain)
    return scheme is None or scheme.group(1) in SAFE_SCHEMES


class OnlyWebLinks(SphinxPostTransform):
    """Every reference to an address that is not a web page becomes its plain words."""

    default_priority = 900  # after the citations and cross-references are resolved

    def run(self, **kwargs) -> None:
        for reference in list(self.document.findall(nodes.reference)):
            address = reference.get("refuri")
            if address is not None and not is_safe_address(address):
                reference.replace_self(nodes.inline("", "", *reference.children))
