"""A reader's data directory laid over the book's: only the reader's own rows, the book's tables underneath.

A reader who adds a cluster writes a few rows (a cluster, its facilities,
organisations, relations and roles) and no more: the stages, categories, types,
claims and the book's three clusters stay the book's. Their directory says so
in its descriptor::

    {"name": "my-city", "title": "…", "x-infraclusters-base": "book",
     "resources": [{"name": "clusters", "path": "clusters.csv"}, …]}

Each table the reader lists is the book's table *plus* the reader's rows, so a
relation may name a book organisation (a CAS institute that serves two science
cities keeps its one id) and a reader's type may name a book category. Tables
the reader does not list are the book's.

To validate and read, the two layers are joined into one package in a scratch
directory outside the reader's folder (:func:`joined`); every problem found
there is then told in the reader's own terms, their file and their line
(:meth:`Joined.locate`). Lines that begin with ``#`` are comments (the starter
directory's example rows) and are not data.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

#: The descriptor property that lays a data directory over the book's tables.
BASE = "x-infraclusters-base"
DESCRIPTOR = "datapackage.json"


#: The checkout this package is installed from (an editable install from ``src/``).
CHECKOUT = Path(__file__).resolve().parents[3]


def book_data(root: Path) -> Path:
    """The book's data folder: ``root``'s, or, for a page built elsewhere (``case``), the installed book's."""
    for folder in (Path(root) / "data", CHECKOUT / "data"):
        if (folder / DESCRIPTOR).is_file():
            return folder.resolve()
    raise FileNotFoundError(f"{Path(root) / 'data'}: the book's tables are not here, and no installed book has them")


def is_layered(descriptor: dict) -> bool:
    return isinstance(descriptor, dict) and descriptor.get(BASE) == "book"


@dataclass
class Joined:
    """The joined package: where it lies, and how to find a reader's row in it."""

    directory: Path
    reader: Path
    book: Path
    #: per CSV path: (rows the book has, the reader's file, the reader's line of each of their rows)
    tables: dict[str, tuple[int, Path, list[int]]] = field(default_factory=dict)
    #: problems found while joining (a header that is not the book's, an unknown table, unreadable bytes)
    problems: list[tuple[str, int | None, str | None, str]] = field(default_factory=list)

    def locate(self, path: str, row: int | None) -> tuple[str, int | None]:
        """The file and row a row of the joined table ``path`` comes from: the reader's, else the book's."""
        if path in self.tables:
            book_rows, reader_file, lines = self.tables[path]
            if row is not None and row >= book_rows + 2:
                index = row - book_rows - 2
                return str(reader_file), lines[index] if index < len(lines) else None
        return f"data/{path}", row


def _records(text: str) -> list[tuple[int, list[str]]]:
    """CSV records with the line each starts on; comment lines (``#``) and blank lines left out."""
    records = []
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    while True:
        start = line
        try:
            record = next(reader)
        except StopIteration:
            break
        line = reader.line_num + 1
        if not record or all(not cell.strip() for cell in record):
            continue
        if record[0].lstrip().startswith("#"):
            continue
        records.append((start, record))
    return records


def _write_if_changed(path: Path, text: str) -> None:
    """Write only when the text differs, so a joined file keeps its time while nothing changed."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def scratch(reader: Path) -> Path:
    """Where the joined package of ``reader`` lies: the system's temporary folder, never the reader's own."""
    digest = hashlib.sha256(str(reader).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "infraclusters-layers" / digest


def joined(reader: Path, book: Path) -> Joined:
    """Join the reader's tables over the book's (``book`` is the book's data folder)."""
    reader, book = Path(reader).resolve(), Path(book).resolve()
    own = json.loads((reader / DESCRIPTOR).read_text(encoding="utf-8"))
    base = json.loads((book / DESCRIPTOR).read_text(encoding="utf-8"))
    target = scratch(reader)
    target.mkdir(parents=True, exist_ok=True)
    result = Joined(target, reader, book)
    known = {resource["name"]: resource for resource in base["resources"]}
    listed = {}
    for resource in own.get("resources", []):
        name = resource.get("name") if isinstance(resource, dict) else None
        if name not in known:
            message = f"table {name!r} is not one of the book's; known tables: {', '.join(known)}"
            result.problems.append((str(reader / DESCRIPTOR), None, None, message))
            continue
        listed[name] = reader / resource.get("path", known[name]["path"])
    for name, resource in known.items():
        path = resource["path"]
        book_text = (book / path).read_text(encoding="utf-8")
        book_lines = book_text.rstrip("\n").split("\n")
        book_rows = len(_records(book_text)) - 1
        own_path = listed.get(name)
        records: list[tuple[int, list[str]]] = []
        if own_path is not None:
            required = {f["name"] for f in resource["schema"]["fields"] if f.get("constraints", {}).get("required")}
            records = _reader_records(own_path, book_lines[0], result, required)
        out = io.StringIO()
        out.write("\n".join(book_lines) + "\n")
        csv.writer(out, lineterminator="\n").writerows(record for _, record in records)
        _write_if_changed(target / path, out.getvalue())
        if own_path is not None:
            result.tables[path] = (book_rows, own_path, [line for line, _ in records])
    merged = {**base, "resources": base["resources"]}
    _write_if_changed(target / DESCRIPTOR, json.dumps(merged, ensure_ascii=False, indent=1))
    bib = reader / "references.bib"
    joined_bib = target / "references.bib"
    if bib.is_file():
        _write_if_changed(joined_bib, bib.read_text(encoding="utf-8", errors="replace"))
    elif joined_bib.exists():
        joined_bib.unlink()
    return result


def _reader_records(path: Path, book_header: str, result: Joined, required: set[str]) -> list[tuple[int, list[str]]]:
    """The reader's data rows of one table, in the book's column order, or none (with the problem said).

    Columns are matched by name, in any order; a column the reader leaves out is empty in every row,
    unless the schema requires it (so a directory written before the book added an optional column
    still joins).
    """
    if not path.is_file():
        result.problems.append((str(path), None, None, "file not found (the descriptor lists it)"))
        return []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        result.problems.append((str(path), line, None, f"not UTF-8: byte {raw[exc.start]:#04x} at offset {exc.start}"))
        return []
    try:
        records = _records(text)
    except csv.Error as exc:
        result.problems.append((str(path), None, None, f"not readable as CSV: {exc}"))
        return []
    if not records:
        result.problems.append((str(path), None, None, "no header row (copy the first line of the book's table)"))
        return []
    header = next(csv.reader([book_header]))
    (header_line, own_header), rows = records[0], records[1:]
    own_header = [column.strip() for column in own_header]
    missing = [c for c in header if c not in own_header and c in required]
    unknown = [c for c in own_header if c not in header]
    doubled = sorted({c for c in own_header if own_header.count(c) > 1})
    if missing or unknown or doubled:
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(unknown)}" if unknown else "",
                f"twice: {', '.join(doubled)}" if doubled else "",
            )
            if part
        )
        message = f"the header must name the book's table's columns ({detail}); they are: {','.join(header)}"
        result.problems.append((str(path), header_line, None, message))
        return []
    joined = []
    for line, record in rows:
        if len(record) != len(own_header):
            message = f"{len(record)} cells where the header has {len(own_header)} columns"
            result.problems.append((str(path), line, None, message))
            continue
        values = dict(zip(own_header, record, strict=True))
        joined.append((line, [values.get(column, "") for column in header]))
    return joined
