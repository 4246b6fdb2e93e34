"""Mechanical checks of the book's wording: one English name per glossary term, and the Chinese edition's house rules.

``python -m infraclusters wording`` runs both and exits 1 naming each finding
(file, line, rule, the words found). Two kinds of check:

* **English terms** (:func:`english_terms`). The glossary (``data/glossary.csv``)
  is the one source of a term's English name, ``term_en``; ``avoid_en`` lists
  the other renderings translators reach for. No chapter, string of the package
  (captions, titles, tables, charts) or English data column may use one of them.
  A Title-Case occurrence is a proper name (a document's official English
  title) and is left alone.
* **The Chinese edition** (:func:`chinese_catalogues`, :func:`chinese_site`):
  the copy-editing rules a machine can check, on the catalogues and on the built
  pages: decades as the paper writes them (20世纪80年代, not 1980 年代); no
  sentence built around a count of zero (有 0 个); no stray Markdown asterisk;
  等, not et al., after a Chinese name; relation verbs that say what the
  source says (依托 or 位于 for a host and 控股 for a shareholding, not 承载 or
  隶属于); no space between two Chinese characters (a
  line break of the PDF carried into a quotation; the bibliography is left
  alone, as its titles are the headlines as printed); no table whose header
  names the same column twice.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.text}"


# --- English: one name per term ---------------------------------------------------------

#: Data columns never checked: the paper's and the pages' own words, sources, addresses, the glossary's list itself.
_VERBATIM = re.compile(r"^(quote|source$|url|avoid_en$|title$)|_zh$")


def _variant_pattern(variant: str) -> re.Pattern:
    """A rendering as a pattern: any case, hyphen or space between words, whole words, plural too."""
    words = [re.escape(word) for word in re.split(r"[\s-]+", variant.strip()) if word]
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?:s|es)?(?![\w-])", re.IGNORECASE)


def _title_case(found: str) -> bool:
    words = [w for w in re.split(r"[\s-]+", found) if w]
    return len(words) > 1 and all(w[0].isupper() for w in words)


def avoided_renderings(glossary) -> list[tuple[str, str, re.Pattern]]:
    """(term_en, other rendering, its pattern) for every rendering ``avoid_en`` lists."""
    rows = []
    for term in glossary.itertuples():
        avoid = getattr(term, "avoid_en", None)
        if not isinstance(avoid, str):
            continue
        for variant in (v.strip() for v in avoid.split(";")):
            if variant:
                rows.append((term.term_en, variant, _variant_pattern(variant)))
    return rows


def _scan(text: str, path: str, renderings, first_line: int = 1) -> list[Finding]:
    """Every avoided rendering in ``text``, also across a line break (prose is wrapped)."""
    findings = []
    for term_en, _variant, pattern in renderings:
        for match in pattern.finditer(text):
            found = " ".join(match.group(0).split())
            if not _title_case(found):
                line = first_line + text.count("\n", 0, match.start())
                findings.append(Finding(path, line, "English name", f"“{found}”: the glossary's name is “{term_en}”"))
    return findings


def english_terms(root: Path, glossary, data_dir: Path | None = None) -> list[Finding]:
    """Every use of a rendering the glossary says the book does not use, in chapters, package and data."""
    renderings = avoided_renderings(glossary)
    findings: list[Finding] = []
    files = sorted((root / "chapters").glob("*.md")) + sorted((root / "src").rglob("*.py"))  # not cases/: generated
    for path in files:
        findings += _scan(path.read_text(encoding="utf-8"), str(path.relative_to(root)), renderings)
    data = data_dir or root / "data"
    for path in sorted(data.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            for number, row in enumerate(reader, start=2):
                for column, value in row.items():
                    if column and value and not _VERBATIM.search(column):
                        findings += [
                            Finding(f.path, number, f.rule, f"{column}: {f.text}")
                            for f in _scan(value, path.name, renderings, first_line=number)
                        ]
    return findings


def chinese_line_breaks(root: Path) -> list[Finding]:
    """A chapter line that ends in a Chinese character before one that starts with one: the page shows a space there."""
    findings = []
    pattern = re.compile(r"[\u4e00-\u9fff]\n[\u4e00-\u9fff]")
    for path in sorted((root / "chapters").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in pattern.finditer(text):
            line = 1 + text.count("\n", 0, match.start())
            findings.append(
                Finding(
                    str(path.relative_to(root)), line, "line break in Chinese", f"“{match.group(0)!r}” shows as a space"
                )
            )
    return findings


# --- Chinese: the house rules -------------------------------------------------------------

_HAN = r"[\u4e00-\u9fff]"
RULES_ZH = (
    ("decade", re.compile(r"(1[0-9]|20)[0-9]0\s*年代"), "write decades as the paper does: 20世纪80年代"),
    ("count of zero", re.compile(r"有\s*0\s*(个|项|家|条)"), "a sentence built around a count of zero"),
    ("et al.", re.compile(rf"{_HAN}\s*et al\.?"), "use 等 after a Chinese name"),
    ("space between characters", re.compile(rf"{_HAN} +{_HAN}"), "a space between two Chinese characters"),
    # relation verbs that say what the sources say (neither word is the paper's)
    ("relation verb", re.compile("承载"), "say what the source says: 依托 or 位于 (a host), 支撑 (the paper's verb)"),
    ("relation verb", re.compile("隶属于?"), "say what the source says: 控股 (a shareholding), 属于 (a part)"),
)


def _zh_text_findings(text: str, path: str, line: int) -> list[Finding]:
    return [
        Finding(path, line, rule, f"“{match.group(0)}”: {advice}")
        for rule, pattern, advice in RULES_ZH
        for match in pattern.finditer(text)
    ]


def _literal_stars(text: str) -> int:
    """Asterisks that Markdown (CommonMark, as MyST reads it) leaves as text: an emphasis mark that does not close.

    In Chinese a mark next to full-width punctuation often fails to open or
    close (``*来源：*论文`` shows its asterisks), which is what this catches.
    """
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").renderInline(re.sub(r"`[^`]*`", "", text))
    return html.count("*")


def chinese_catalogues(root: Path) -> list[Finding]:
    """The house rules on every translation in ``locales/zh_CN``, and emphasis marks that the source does not have."""
    from babel.messages.pofile import read_po

    findings: list[Finding] = []
    for path in sorted((root / "locales" / "zh_CN" / "LC_MESSAGES").rglob("*.po")):
        with open(path, "rb") as handle:
            catalogue = read_po(handle)
        name = str(path.relative_to(root))
        for message in catalogue:
            if not message.id or not isinstance(message.string, str) or not message.string:
                continue
            line = message.lineno or 0
            findings += _zh_text_findings(message.string, name, line)
            if _literal_stars(message.string) > _literal_stars(message.id):
                findings.append(Finding(name, line, "stray asterisk", "an emphasis mark that Markdown shows as “*”"))
    return findings


class _Text(HTMLParser):
    """Visible text of a page (no script, style or code), and the header cells of each table."""

    SKIP = {"script", "style", "code", "pre", "kbd", "samp", "math"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.citing = 0
        self.parts: list[str] = []
        self.cited: list[str] = []
        self.tables: list[list[str]] = []
        self._in_head = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1
        elif tag == "a" and "bibliography" in (dict(attrs).get("href") or ""):
            self.citing += 1  # a citation label: the work's title as printed, spaces and all
        elif tag == "thead":
            self._in_head = True
            self.tables.append([])
        elif tag == "th" and self._in_head:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1
        elif tag == "a" and self.citing:
            self.citing -= 1
        elif tag == "thead":
            self._in_head = False
        elif tag == "th" and self._cell is not None:
            self.tables[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self.depth:
            return
        self.parts.append(data)
        if self.citing:
            self.cited.append(data)
        if self._cell is not None:
            self._cell.append(data)


def chinese_site(site: Path) -> list[Finding]:
    """The house rules on the built Chinese pages, with stray asterisks and duplicated table headers."""
    findings: list[Finding] = []
    for path in sorted(site.rglob("*.html")):
        if any(part.startswith("_") for part in path.relative_to(site).parts):
            continue  # _static, _sources: not pages
        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        name = str(path.relative_to(site))
        # the bibliography prints titles as their pages do: spaces and words (承载 in a headline) are the page's
        verbatim = {"et al."} | (
            {"space between characters", "relation verb"} if path.stem == "bibliography" else set()
        )
        cited = set(parser.cited)
        for text in parser.parts:  # each text node alone: elements side by side are not one sentence
            skip = verbatim | ({"space between characters", "relation verb"} if text in cited else set())
            findings += [f for f in _zh_text_findings(text, name, 0) if f.rule not in skip]
            for match in re.finditer(r".{0,12}\*.{0,12}", text):
                findings.append(Finding(name, 0, "stray asterisk", f"“{match.group(0).strip()}”"))
        joined = "".join(parser.parts)  # a label is split over nodes: 工业和信息化部 <em>et al.</em>
        findings += [f for f in _zh_text_findings(joined, name, 0) if f.rule == "et al."]
        for header in parser.tables:
            named = [cell for cell in header if cell]
            if len(named) != len(set(named)):
                findings.append(Finding(name, 0, "duplicated table header", " | ".join(header)))
    return findings
