"""Values made inert for the programs that open the book's downloads: spreadsheets and BibTeX.

The pages escape data text for HTML and MyST (:mod:`.markup`); the downloads
need the same care for the program a reader opens them in.

* **CSV.** A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or
  ``@`` as a formula (``=HYPERLINK(…)`` sends data away when clicked), and
  tab, carriage return and NUL start one too in some programs. As OWASP
  recommends for CSV injection, such a text cell is written with a single
  quote in front (``'=HYPERLINK(…)``), which a spreadsheet shows as text and
  does not run. Numeric columns are numbers, not formulas, and are left as
  they are (a negative number stays a number).
* **BibTeX.** A value could close its field with an unbalanced ``}`` and add
  fields of its own, or run a command such as ``\\input``. Every brace,
  backslash and other character special to TeX is written as a TeX command
  that prints it, so braces stay balanced and no command is named by data.
"""

from __future__ import annotations

import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula (OWASP; OWASP ASVS 1.2.10 adds NUL).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def spreadsheet_cell(value):
    """A text cell that a spreadsheet would run as a formula, with a quote in front; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell (and column name) made safe to open in a spreadsheet."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(spreadsheet_cell)
    safe.columns = [spreadsheet_cell(str(column)) for column in safe.columns]
    return safe


_TEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


def bibtex_value(text: str) -> str:
    """Text for the inside of a braced BibTeX field: printed as written, never closing the field or running TeX."""
    text = " ".join(str(text).split())  # a line break or tab inside a field is a space to BibTeX anyway
    return "".join(_TEX.get(character, character) for character in text)


def bibtex_url(url: str) -> str:
    """A web address for a BibTeX ``url`` field, which styles read verbatim (an escaped ``_`` would print its
    backslash): written as it is when it is a plain http(s) address with no brace, backslash or space, else ""."""
    import re

    url = str(url).strip()
    return url if re.fullmatch(r"https?://[^\s{}\\\"]+", url) else ""
