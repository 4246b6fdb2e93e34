"""Checks of the data beyond what a Table Schema can declare: the gate every table passes before it is used.

Frictionless checks types, required fields, allowed values and keys. What it
lets through, and what breaks a page later, is checked here: bytes (a
byte-order mark, NUL bytes, line ends), cells (invisible or control
characters, an id with a trailing newline, a cell too long to be data, digits
that are not ASCII, blank text where text is required, impossible or future
dates), keys that differ only in case, mistakes in ``datapackage.json`` that
would switch a check off, and a ``references.bib`` that does not parse or
repeats a key. Every problem names file, row and column, and shows the value
with its invisible characters made visible.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path

#: The longest cell that is still data (a page of text); anything longer is a pasting accident.
MAX_CELL = 5000
#: An id names files (a figure of a cluster is fig-case-<cluster>-…): short enough for any file system.
MAX_ID = 64
#: The sections of the paper a source may name (``paper §2.2``).
PAPER_SECTIONS = frozenset(
    ["abstract", "intro", "§1", "§1.1", "§1.2", "§1.3", "§2", "§2.1", "§2.2", "§2.3", "§2.4", "§2.5"]
    + ["§3", "§3.1", "§3.2", "§3.3", "§4"]
)
#: Characters that print as nothing or move text around: never part of a value.
INVISIBLE = re.compile(
    r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u2069\u3164\ufe00-\ufe0f\uffa0\ufeff\U000e0000-\U000e007f\U000e0100-\U000e01ef\ud800-\udfff]"
)  # also: bidi isolates (Trojan Source), fillers that print as nothing (U+3164), variation selectors, tags
#: Radicals that look like the ideographs PDF text layers swap them for (⾕ for 谷): never the data's characters.
_RADICAL = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf]")
#: A number as people write it: no digit grouping by underscores, no nan, inf or exponent.
_NUMBER = {
    "integer": re.compile(r"[+-]?\d+"),
    "year": re.compile(r"[+-]?\d+"),
    "number": re.compile(r"[+-]?\d+(?:\.\d+)?"),
}
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def shown(value: str) -> str:
    """A value quoted with its invisible characters written out (``'qnl\\n'``, ``'a\\u200bb'``)."""

    def visible(char: str) -> str:
        if char == "\n":
            return "\\n"
        if char == "\r":
            return "\\r"
        if char == "\t":
            return "\\t"
        if INVISIBLE.fullmatch(char) or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            return f"\\u{ord(char):04x}"
        return char

    text = "".join(visible(char) for char in value)
    if len(text) > 80:
        text = text[:77] + "…"
    return f"'{text}'"


def byte_problems(raw: bytes) -> list[tuple[int | None, str]]:
    """(row, message) for a file's bytes: a byte-order mark, NUL bytes, CR-only or ambiguous line ends.

    CRLF and LF in one file (a text editor appending rows to a file saved on Windows) parse
    unambiguously and pass; a lone CR beside either does not.
    """
    found: list[tuple[int | None, str]] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        found.append((1, "starts with a byte-order mark (U+FEFF); save the file as UTF-8 without BOM"))
    if b"\x00" in raw:
        found.append((raw[: raw.index(b"\x00")].count(b"\n") + 1, "holds a NUL byte (\\x00): not a text file"))
    crlf, lone_cr, lone_lf = record_ends(raw)
    if lone_cr and not (crlf or lone_lf):
        found.append((None, "line ends are CR only (old Mac style); save with LF line ends"))
    elif lone_cr and (crlf or lone_lf):
        found.append((None, f"mixed line ends ({crlf} CRLF, {lone_lf} LF, {lone_cr} CR); save with one kind"))
    return found


def record_ends(raw: bytes) -> tuple[int, int, int]:
    """How many records end in CRLF, CR alone and LF alone (line breaks inside quoted cells do not count)."""
    counts = [0, 0, 0]
    quoted = False
    index, size = 0, len(raw)
    while index < size:
        byte = raw[index]
        if byte == 0x22:  # '"': a doubled quote inside a quoted cell toggles twice
            quoted = not quoted
        elif not quoted and byte == 0x0D:
            if index + 1 < size and raw[index + 1] == 0x0A:
                counts[0] += 1
                index += 1
            else:
                counts[1] += 1
        elif not quoted and byte == 0x0A:
            counts[2] += 1
        index += 1
    return counts[0], counts[1], counts[2]


def cell_problems(rows: list[dict], fields: list[dict], keys: set[str], today: datetime.date | None = None):
    """(row, column, message) for every cell a schema cannot judge. ``keys``: the id columns."""
    today = today or datetime.date.today()
    declared = {field["name"]: field for field in fields}
    found = []
    for number, row in enumerate(rows, start=2):
        for column, value in row.items():
            if not isinstance(value, str) or column is None:
                continue
            field = declared.get(column, {})
            kind = field.get("type", "string")
            if len(value) > MAX_CELL:
                found.append(
                    (number, column, f"{len(value):,} characters: longer than any value ({MAX_CELL:,} at most)")
                )
                continue
            if INVISIBLE.search(value.replace("\n", "").replace("\t", "")):
                found.append((number, column, f"value {shown(value)} holds an invisible or control character"))
            elif column in keys and value != value.strip():
                found.append((number, column, f"value {shown(value)} has spaces or line breaks at its ends"))
            elif column in keys and re.search(r"\s", value):
                found.append((number, column, f"value {shown(value)} has a space or line break inside an id"))
            elif column in keys and column.endswith("_id") and len(value) > MAX_ID:
                found.append(
                    (
                        number,
                        column,
                        f"{len(value)} characters: longer than an id ({MAX_ID} at most; file names carry it)",
                    )
                )
            if kind in ("integer", "number", "year") and any(c.isdigit() and not c.isascii() for c in value):
                found.append((number, column, f"value {shown(value)} has digits that are not ASCII (0-9)"))
            elif kind in _NUMBER and value.strip() and not _NUMBER[kind].fullmatch(value.strip()):
                found.append(
                    (number, column, f"value {shown(value)} is not a number as people write it (digits, one '.')")
                )
            if _RADICAL.search(value):
                found.append(
                    (number, column, f"value {shown(value)} holds a Kangxi or CJK radical: write the ideograph")
                )
            elif value != unicodedata.normalize("NFC", value):
                found.append((number, column, f"value {shown(value)} is not in Unicode's composed form (NFC)"))
            if field.get("constraints", {}).get("required") and value and not value.strip():
                found.append((number, column, f"value {shown(value)} is blank: text is required here"))
            if column == "year" and value.strip().isascii() and value.strip().isdigit():
                if int(value) > today.year:
                    found.append((number, column, f"value {shown(value)} is in the future (today is {today})"))
            elif kind == "string" and field.get("constraints", {}).get("pattern", "").startswith("[0-9]{4}"):
                message = date_problem(value, today)
                if message:
                    found.append((number, column, f"value {shown(value)} {message}"))
    return found


def date_problem(value: str, today: datetime.date) -> str | None:
    """Why a YYYY, YYYY-MM or YYYY-MM-DD value cannot be a date that has happened, or None."""
    match = _DATE.fullmatch(value.strip())
    if not match:
        return None  # the schema's pattern reports the shape
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        when = datetime.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        return "is not a date of the calendar"
    if when > today:
        return f"is in the future (today is {today})"
    return None


def case_duplicates(rows: list[dict], key: str) -> list[tuple[int, str]]:
    """(row, message) for primary keys that differ from an earlier one only in case or in how they are encoded
    (composed or not, a variation selector, a radical for its ideograph): two keys a reader cannot tell apart."""
    seen: dict[str, tuple[int, str]] = {}
    found = []
    for number, row in enumerate(rows, start=2):
        value = row.get(key)
        if not isinstance(value, str) or not value:
            continue
        folded = looks(value)
        if folded in seen and seen[folded][1] != value:
            first_row, first = seen[folded]
            how = "in case" if value.casefold() == first.casefold() else "in characters that look the same"
            found.append((number, f"value {shown(value)} differs from {shown(first)} (row {first_row}) only {how}"))
        seen.setdefault(folded, (number, value))
    return found


def looks(value: str) -> str:
    """How a value looks to a reader: compatibility-composed (radicals as ideographs), no variation selectors,
    case folded."""
    plain = re.sub(r"[\ufe00-\ufe0f\U000e0100-\U000e01ef]", "", value)
    return unicodedata.normalize("NFKC", plain).casefold()


def self_relation_problems(rows: list[dict]) -> list[tuple[int, str, str]]:
    """(row, column, message) for a relation from an entity to itself: no source says a body serves itself."""
    return [
        (number, "to_id", f"value {shown(row['to_id'])} is the relation's own from_id: a relation joins two entities")
        for number, row in enumerate(rows, start=2)
        if row.get("from_id") and row.get("from_id") == row.get("to_id")
    ]


def source_item_problems(source: str) -> list[str]:
    """Messages for a ``source`` cell's list itself: empty items, sections the paper does not have."""
    found = []
    items = [item.strip() for item in source.split(";")]
    if source.strip() and any(not item for item in items):
        found.append(f"source {shown(source)} has an empty item (two ';' in a row, or one at an end)")
    for item in items:
        match = re.fullmatch(r"paper (abstract|intro|§[0-9](?:\.[0-9])?)", item)
        if match and match.group(1) not in PAPER_SECTIONS:
            found.append(f"source {shown(item)}: the paper has no section {match.group(1)}")
    return found


def descriptor_problems(package: dict) -> list[tuple[str | None, str]]:
    """(resource name, message) for mistakes in ``datapackage.json`` that would switch a check off."""
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        return [(None, "no 'resources' list: the descriptor declares no table")]
    found = []
    names = [r.get("name") for r in package["resources"] if isinstance(r, dict)]
    for resource in package["resources"]:
        if not isinstance(resource, dict) or not resource.get("name") or not resource.get("path"):
            found.append((None, f"a resource without a name or a path: {str(resource)[:80]}"))
            continue
        name, schema = resource["name"], resource.get("schema")
        if not isinstance(schema, dict):
            found.append((name, f"'schema' is {shown(str(schema))}, not an object: give the schema inline"))
            continue
        columns = {f.get("name") for f in schema.get("fields", []) if isinstance(f, dict)}
        primary = schema.get("primaryKey", [])
        primary = [primary] if isinstance(primary, str) else primary
        for column in primary:
            if column not in columns:
                found.append((name, f"primaryKey names {shown(str(column))}, which is not a field of the table"))
        for key in schema.get("foreignKeys", []):
            reference = key.get("reference", {})
            fields = [key.get("fields")] if isinstance(key.get("fields"), str) else key.get("fields", [])
            if reference.get("resource") not in names:
                found.append(
                    (name, f"a foreign key refers to {shown(str(reference.get('resource')))}, which is not a table")
                )
            for column in fields:
                if column not in columns:
                    found.append((name, f"a foreign key names {shown(str(column))}, which is not a field"))
    return found


_ENTRY = re.compile(r"@(\w+)\s*([{(])\s*([^,\s]*)\s*,?", re.S)


#: What a reader's bibliography may be: larger files, or more problems, are not read further.
MAX_BIB_BYTES = 5_000_000
MAX_BIB_PROBLEMS = 50


def bibliography_problems(path: Path) -> list[tuple[int, str]]:
    """(line, message) for a ``references.bib`` that does not parse: unbalanced braces, entries without a key, repeats.

    Read once, left to right (lines counted as it goes), and at most :data:`MAX_BIB_PROBLEMS` problems told:
    the time is linear in the file, and the report short, whatever the file holds."""
    size = Path(path).stat().st_size
    if size > MAX_BIB_BYTES:
        return [(1, f"{size:,} bytes: larger than a bibliography ({MAX_BIB_BYTES:,} bytes at most); not read")]
    text = Path(path).read_text(encoding="utf-8")
    found = []
    seen: dict[str, int] = {}
    position, counted, line_at = 0, 0, 1

    def line_of(index: int) -> int:
        nonlocal counted, line_at
        line_at += text.count("\n", counted, index)
        counted = index
        return line_at

    while len(found) < MAX_BIB_PROBLEMS:
        at = text.find("@", position)
        if at < 0:
            break
        line = line_of(at)
        match = _ENTRY.match(text, at)
        if not match:
            found.append((line, "an '@' that starts no entry (expected @type{key, …})"))
            position = at + 1
            continue
        kind, opening, key = match.groups()
        if kind.lower() in ("comment", "preamble", "string"):
            position = match.end()
            continue
        closing = "}" if opening == "{" else ")"
        depth, index = 0, match.start(2)
        while index < len(text):
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if char == opening:
                depth += 1
            elif char == closing:
                depth -= 1
                if depth == 0:
                    break
            index += 1
        if depth:
            found.append((line, f"entry {shown(key or '?')} is never closed (unbalanced braces)"))
            break
        if not key:
            found.append((line, f"an @{kind} entry without a key"))
        elif key in seen:
            found.append((line, f"key {shown(key)} is defined twice (first at line {seen[key]})"))
        else:
            seen[key] = line
        position = index + 1
    if len(found) >= MAX_BIB_PROBLEMS:
        found.append((line_of(position), f"… and perhaps more: reading stopped after {MAX_BIB_PROBLEMS} problems"))
    return found


def bibliography_keys_at(path: Path) -> list[tuple[int, str]]:
    """(line, key) of every entry of a ``references.bib``."""
    text = Path(path).read_text(encoding="utf-8")
    found, counted, line = [], 0, 1
    for match in _ENTRY.finditer(text):
        if match.group(3) and match.group(1).lower() not in ("comment", "preamble", "string"):
            line += text.count("\n", counted, match.start())  # counted as it goes: linear in the file
            counted = match.start()
            found.append((line, match.group(3)))
    return found
