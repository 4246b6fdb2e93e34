"""The paper's words, checked with or without the paper's text.

The paper is the authors'; this repository does not ship it. The tests that hold the book's quotations to
the paper's exact words therefore use a committed fingerprint, ``tests/paper-quotes.json``: for every
quotation the data makes, the SHA-256 of the quotation (all whitespace removed, as the PDF's line breaks
fall anywhere) and where it stands in the paper (offset and length in the whitespace-free text), plus the
SHA-256 and length of the whole whitespace-free text.

- Without the text (a source archive, a plain clone): a quotation passes when its hash is recorded, so an
  edited quotation fails everywhere; a new one needs the text once, to be recorded.
- With the text (``../shared/seed/paper.txt`` beside the checkout, or ``./paper.txt``): a quotation passes
  when it is in the text, and the fingerprint itself is checked against the text: the same paper, and every
  recorded quotation is the text at its recorded place.

After adding or editing a quotation, with the text present::

    python tests/paper.py --update
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FINGERPRINT = HERE / "paper-quotes.json"
#: Where the text may be: shared/seed beside the checkout (the project's), or a copy at the root.
CANDIDATES = [ROOT.parent / "shared" / "seed" / "paper.txt", ROOT / "paper.txt"]


def squeeze(text: str) -> str:
    """Text without whitespace: quotations are matched across the PDF's line breaks."""
    return re.sub(r"\s+", "", text)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def text_path() -> Path | None:
    return next((p for p in CANDIDATES if p.is_file()), None)


class Paper:
    """The paper as the tests see it: its text if present, else the committed fingerprint."""

    def __init__(self, text: str | None, fingerprint: dict):
        self.text = squeeze(text) if text is not None else None
        self.fingerprint = fingerprint
        self.quotes = fingerprint.get("quotes", {})

    @classmethod
    def load(cls) -> Paper:
        path = text_path()
        fingerprint = json.loads(FINGERPRINT.read_text(encoding="utf-8")) if FINGERPRINT.is_file() else {}
        return cls(path.read_text(encoding="utf-8") if path else None, fingerprint)

    @property
    def has_text(self) -> bool:
        return self.text is not None

    def quotes_exactly(self, quotation: str) -> bool:
        """Whether ``quotation`` is the paper's exact words (whitespace aside)."""
        words = squeeze(quotation)
        if self.text is not None:
            return words in self.text
        return digest(words) in self.quotes

    def __contains__(self, quotation: str) -> bool:
        return self.quotes_exactly(quotation)

    def fingerprint_problems(self) -> list[str]:
        """Where the committed fingerprint disagrees with the text (needs the text)."""
        assert self.text is not None
        problems = []
        if self.fingerprint.get("sha256") != digest(self.text):
            problems.append("the text is not the paper the fingerprint was made from (its SHA-256 differs)")
        for key, (offset, length) in self.quotes.items():
            if digest(self.text[offset : offset + length]) != key:
                problems.append(f"quotation {key[:12]}… is not the text at {offset}+{length}")
        return problems


def fingerprint_of(text: str, quotations) -> dict:
    """The fingerprint of ``quotations`` in ``text``: only quotations that are in it are recorded."""
    text = squeeze(text)
    quotes = {}
    for quotation in quotations:
        words = squeeze(quotation)
        if words and words in text:
            quotes[digest(words)] = [text.index(words), len(words)]
    return {
        "about": "tests/paper.py: SHA-256 of each quotation (whitespace removed) and its offset and length in the paper",
        "sha256": digest(text),
        "length": len(text),
        "quotes": dict(sorted(quotes.items(), key=lambda item: item[1])),
    }


def located_quotations(data_dir: Path = ROOT / "data") -> list[tuple[str, str]]:
    """(where, quotation) for every quotation of the paper that the book's data makes (what the tests check)."""
    import csv

    quoted_columns = {"quote_zh", "role_zh", "definition_zh", "event_zh", "heading_zh"}
    found: list[tuple[str, str]] = []
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        with open(data_dir / resource["path"], encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                found += [(f"{resource['path']} row {number} {c}", row[c]) for c in sorted(quoted_columns & row.keys())]
    for table, column in NAMED:
        with open(data_dir / f"{table}.csv", encoding="utf-8", newline="") as handle:
            found += [(f"{table} {row[column]}", row[column]) for row in csv.DictReader(handle)]
    with open(data_dir / "recommendation_measures.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column in ("actors_zh", "instruments_zh"):
                found += [
                    (f"{row['measure_id']} {item}", item) for item in map(str.strip, row[column].split(";")) if item
                ]
    with open(data_dir / "roles.csv", encoding="utf-8", newline="") as handle:
        found += [
            (f"roles {row['role_id']}", row["quote"]) for row in csv.DictReader(handle) if row["coding"] == "paper"
        ]
    return found


def book_quotations(data_dir: Path = ROOT / "data") -> list[str]:
    return [quotation for _, quotation in located_quotations(data_dir)]


#: Names the data gives in the paper's own words: (table, column).
NAMED = (
    ("paper_examples", "name_zh"),
    ("talent_types", "name_zh"),
    ("product_forms", "name_zh"),
    ("recommendations", "short_zh"),
    ("recommendations", "title_zh"),
    ("problems", "name_zh"),
)


def dumps(fingerprint: dict) -> str:
    """One quotation a line, so a diff shows which quotations changed."""
    head = {key: value for key, value in fingerprint.items() if key != "quotes"}
    lines = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in fingerprint["quotes"].items()]
    body = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    return body + ',\n "quotes": {\n' + ",\n".join(lines) + "\n }\n}\n"


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print(__doc__)
        return 2
    path = text_path()
    if path is None:
        print(f"the paper's text is needed to record quotations; looked in {', '.join(map(str, CANDIDATES))}")
        return 1
    text = path.read_text(encoding="utf-8")
    quotations = book_quotations()
    fingerprint = fingerprint_of(text, quotations)
    FINGERPRINT.write_text(dumps(fingerprint), encoding="utf-8")
    missing = sorted({q for q in quotations if squeeze(q) and squeeze(q) not in squeeze(text)})
    print(f"recorded {len(fingerprint['quotes'])} quotations in {FINGERPRINT.relative_to(ROOT)}")
    for quotation in missing:
        print(f"not in the paper, not recorded: {quotation}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
