"""Data text inside generated MyST: always text, never markup.

Every value from the data, the translations or a reader's data directory that
the package writes into a page goes through :func:`literal` (running text,
table cells, captions, titles) or :func:`code` (a code span). HTML is escaped,
and every character that could open MyST or Markdown markup (a role, a link,
an image, emphasis, math, a table cell, a raw HTML tag) is backslash-escaped,
so ``{download}`../../etc/passwd```, ``![x](…)``, ``$x$`` or ``<script>`` in a
cell show as typed and do nothing. Line breaks become spaces, so a value
cannot start a block (a heading, a list, a fence) either.
"""

from __future__ import annotations

import html
import math

#: Characters that can open inline markup in MyST (with the book's extensions), each escaped with a backslash.
MARKUP = frozenset("\\`*_[]{}<>$|~")


def literal(value) -> str:
    """``value`` as inert MyST text on one line ("" for a missing value)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    text = html.escape(str(value), quote=False)
    text = "".join("\\" + char if char in MARKUP else char for char in text)
    return " ".join(text.splitlines())


def code(value) -> str:
    """``value`` as an inline code span, whatever backticks or line breaks it holds."""
    text = " ".join(str(value).splitlines())
    longest = 0
    run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
