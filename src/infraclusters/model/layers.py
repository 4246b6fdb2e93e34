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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .checks import INVISIBLE, shown

#: Limits of a reader's directory, said in the error that meets them: a table's size, its columns, its rows.
MAX_TABLE_BYTES = 10_000_000
MAX_COLUMNS = 100
MAX_ROWS = 2_000
#: A descriptor's text shown on every page and figure (title, a contributor's name): its longest.
MAX_TITLE = 300

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
    """Write only when the text differs, so a joined file keeps its time while nothing changed. A link found
    in its place is removed, never followed (this folder is the package's own: it made no link there)."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        path.unlink()
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _private_folder() -> Path:
    """This user's own folder in the system's temporary folder (mode 0700, owned by this user, not a link),
    made if missing. If that name is taken by anything else (another user's folder, a link, a folder others
    may write), a fresh folder of an unpredictable name is made instead: nothing is ever joined where another
    user could plant a link or swap a table."""
    import os
    import stat

    base = Path(tempfile.gettempdir())
    uid = os.getuid() if hasattr(os, "getuid") else 0
    folder = base / f"infraclusters-{uid}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    info = folder.lstat()
    mine = stat.S_ISDIR(info.st_mode) and info.st_uid == uid and not info.st_mode & 0o077
    if not mine:
        return Path(tempfile.mkdtemp(prefix="infraclusters-"))
    return folder


def scratch(reader: Path) -> Path:
    """Where the joined package of ``reader`` lies: in this user's private temporary folder, never the reader's
    own folder nor a shared one."""
    digest = hashlib.sha256(str(reader).encode()).hexdigest()[:16]
    return _private_folder() / "layers" / digest


def _descriptor_texts(descriptor: dict):
    """(field, value) of the descriptor's text that pages, figures and their citations show: its name, title,
    description, version and date, and every field of its contributors, licences and sources."""
    for name in ("name", "title", "description", "version", "created", "homepage"):
        if name in descriptor:
            yield name, descriptor[name]
    for group in ("contributors", "licenses", "sources"):
        for index, entry in enumerate(descriptor.get(group) or []):
            if not isinstance(entry, dict):
                yield f"{group}[{index}]", entry
                continue
            for name, value in entry.items():
                yield f"{group}[{index}].{name}", value


def _placeholders(descriptor: dict):
    """(field, message) for the starter's placeholders still in the descriptor: they would be printed on the page
    and in every citation as the dataset's title and its author."""
    from .starter import NAME_PLACEHOLDER, TITLE_PLACEHOLDER

    title = descriptor.get("title")
    if isinstance(title, str) and TITLE_PLACEHOLDER in title:
        yield "title", f"still the starter's placeholder {shown(title)}: write your dataset's title"
    for person in descriptor.get("contributors", []) or []:
        if isinstance(person, dict) and str(person.get("title", "")).strip() == NAME_PLACEHOLDER:
            yield "contributors", f"still the starter's placeholder {shown(NAME_PLACEHOLDER)}: write your name"


def _text_problem(value, limit: int, field_name: str = "") -> str | None:
    """Why a descriptor's text cannot be shown on every page and figure, or None. Only a description may run
    over several lines."""
    if not isinstance(value, str):
        return f"{shown(str(value))} is not text"
    if len(value) > limit:
        return f"{len(value):,} characters: longer than a title ({limit:,} at most)"
    allowed = value.replace("\n", "") if field_name == "description" else value
    if INVISIBLE.search(allowed) or (field_name != "description" and "\n" in value):
        return f"value {shown(value)} holds an invisible or control character"
    return None


def not_a_plain_file_inside(reader: Path, path) -> str | None:
    """Why a resource ``path`` of a reader's descriptor is refused, or None: it must name a plain file inside the
    reader's directory: no absolute path, no ``..``, no link (a link could hand over any file of the machine:
    a key, ``/proc/self/environ``). The message names the path, never what the file holds."""
    if not isinstance(path, str) or not path.strip():
        return f"path {path!r} is not a file name"
    relative = Path(path)
    if relative.is_absolute() or ".." in relative.parts or "\\" in path:
        return f"path {path!r} must name a file inside the directory (no absolute path, no '..')"
    full = reader
    for part in relative.parts:
        full = full / part
        if full.is_symlink():
            return f"path {path!r} is a link ({full.name}); a table must be a plain file of the directory"
    if full.exists() and not full.is_file():
        return f"path {path!r} is not a plain file"
    return None


def joined(reader: Path, book: Path) -> Joined:
    """Join the reader's tables over the book's (``book`` is the book's data folder)."""
    reader, book = Path(reader).resolve(), Path(book).resolve()
    own = json.loads((reader / DESCRIPTOR).read_text(encoding="utf-8"))
    base = json.loads((book / DESCRIPTOR).read_text(encoding="utf-8"))
    target = scratch(reader)
    target.mkdir(parents=True, exist_ok=True)
    result = Joined(target, reader, book)
    if not isinstance(own, dict):
        result.problems.append((str(reader / DESCRIPTOR), None, None, "not a descriptor: a JSON object is expected"))
        return result
    for field_name, kind in (("resources", list), ("contributors", list), ("licenses", list)):
        if field_name in own and not isinstance(own[field_name], kind):
            message = f"{shown(str(own[field_name]))} is not a list"
            result.problems.append((str(reader / DESCRIPTOR), None, field_name, message))
            own = {**own, field_name: []}
    for field_name, text in _descriptor_texts(own):
        problem = _text_problem(text, MAX_TITLE * 10 if field_name == "description" else MAX_TITLE, field_name)
        if problem:
            result.problems.append((str(reader / DESCRIPTOR), None, field_name, problem))
    for field_name, problem in _placeholders(own):
        result.problems.append((str(reader / DESCRIPTOR), None, field_name, problem))
    known = {resource["name"]: resource for resource in base["resources"]}
    listed = {}
    for resource in own.get("resources", []):
        name = resource.get("name") if isinstance(resource, dict) else None
        if not isinstance(name, str) or name not in known:
            message = f"table {name!r} is not one of the book's; known tables: {', '.join(known)}"
            result.problems.append((str(reader / DESCRIPTOR), None, None, message))
            continue
        path = resource.get("path", known[name]["path"])
        unsafe = not_a_plain_file_inside(reader, path)
        if unsafe:
            result.problems.append((str(reader / DESCRIPTOR), None, "path", f"table {name!r}: {unsafe}"))
            continue
        listed[name] = reader / path
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
    if bib.is_symlink() or (bib.exists() and not bib.is_file()):
        message = "references.bib must be a plain file in the directory, not a link or a folder (it is not read)"
        result.problems.append((str(bib), None, None, message))
        bib = reader / ".not-read"
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
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        message = f"{size:,} bytes: larger than a cluster's table ({MAX_TABLE_BYTES:,} bytes at most); not read"
        result.problems.append((str(path), None, None, message))
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
    if len(own_header) > MAX_COLUMNS:
        message = f"{len(own_header):,} columns: the book's table has {len(header)} ({MAX_COLUMNS} at most); not read"
        result.problems.append((str(path), header_line, None, message))
        return []
    if len(rows) > MAX_ROWS:
        message = (
            f"{len(rows):,} rows: more than one cluster's table holds ({MAX_ROWS:,} at most; its figures are drawn "
            "for a reader to read). Split it into clusters of their own."
        )
        result.problems.append((str(path), None, None, message))
        return []
    own_header = [column.strip() for column in own_header]
    counts = Counter(own_header)
    own_set, book_set = set(own_header), set(header)
    missing = [c for c in header if c not in own_set and c in required]
    unknown = [c for c in own_header if c not in book_set][:10]
    doubled = sorted(c for c, n in counts.items() if n > 1)
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
