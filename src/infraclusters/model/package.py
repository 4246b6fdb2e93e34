"""Loading and validating the hand-curated tables in ``data/``.

The schemas live in one place, the Frictionless Data Package descriptor
``data/datapackage.json``: field types, required fields, allowed values,
primary keys and foreign keys. This module only reads that descriptor, lets
Frictionless check every table against it, and turns what Frictionless finds
into one error that names file, row and column for every problem at once.

Two checks sit outside what a Data Package can declare and are added here:
the file must be non-empty UTF-8, and every ``source`` must be either a
section of the paper (``paper §1.3``) or a key of ``references.bib``.

Row numbers count the header as row 1, so "row 2" is the first data row, as in
a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import checks, layers

DESCRIPTOR = "datapackage.json"

#: One item of a ``source`` cell: a section of the paper, or a bibliography key.
SOURCE_ITEM = re.compile(r"paper (abstract|intro|§[0-9](\.[0-9])?)|(?P<key>[a-z][a-z0-9_]*)")
BIB_KEY = re.compile(r"@\w+\s*\{\s*([^,\s{}@]+)\s*,")  # a key holds no brace or @: each try is short

_PANDAS_TYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean"}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one cell, row, column or file."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class DataValidationError(ValueError):
    """Raised when any table breaks its schema; lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or ""))
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n{lines}")


@dataclass(frozen=True)
class Summary:
    """What a successful validation saw (``own_rows``: a reader's rows laid over the book's, if layered)."""

    data_dir: Path
    tables: int
    rows: int
    own_rows: int | None = None
    #: where the tables are read, when not ``data_dir`` itself (a reader's rows joined to the book's)
    tables_dir: Path | None = None

    def __str__(self) -> str:
        if self.own_rows is not None:
            return (
                f"data OK: {self.own_rows} rows of your own in {self.data_dir}, over the book's tables "
                f"({self.tables} tables, {self.rows} rows in all)"
            )
        return f"data OK: {self.tables} tables, {self.rows} rows in {self.data_dir}"


def descriptor(data_dir: Path) -> dict:
    """The parsed ``datapackage.json`` of a data directory."""
    path = Path(data_dir) / DESCRIPTOR
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no data package descriptor here")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataValidationError(
            [Problem(str(path), getattr(exc, "lineno", None), None, f"not a valid JSON descriptor: {exc}")]
        ) from None
    except RecursionError:
        message = "not a descriptor: nested deeper than Python reads (a data package is a few levels deep)"
        raise DataValidationError([Problem(str(path), None, None, message)]) from None


def table_names(data_dir: Path) -> list[str]:
    """Names of all tables the descriptor declares, in its order."""
    return [resource["name"] for resource in descriptor(data_dir)["resources"]]


def schema(name: str, data_dir: Path) -> dict:
    """The declared Table Schema of one table."""
    for resource in descriptor(data_dir)["resources"]:
        if resource["name"] == name:
            return resource["schema"]
    known = ", ".join(table_names(data_dir))
    raise KeyError(f"no table named {name!r}; known tables: {known}")


def bibliography_keys(data_dir: Path, root: Path) -> set[str]:
    """Keys a ``source`` may cite: the book's references.bib (in ``root``) plus one beside the data, if any."""
    keys: set[str] = set()
    for bib in (Path(root) / "references.bib", Path(data_dir) / "references.bib"):
        if bib.is_file():
            keys.update(BIB_KEY.findall(bib.read_text(encoding="utf-8")))
    return keys


def _label(data_dir: Path, root: Path, path: str) -> str:
    """How a file is named in messages: ``data/x.csv`` for the book's data, else its full path."""
    return f"data/{path}" if data_dir == root / "data" else str(data_dir / path)


def _read_text(path: Path, label: str) -> tuple[str | None, list[Problem]]:
    """File text, or the problems that stop it being read (missing, empty, not UTF-8)."""
    if not path.is_file():
        return None, [Problem(label, None, None, "file not found")]
    raw = path.read_bytes()
    if not raw.strip():
        return None, [Problem(label, None, None, "file is empty (expected a header row and data)")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(label, line, None, f"not UTF-8: byte {raw[exc.start]:#04x} at offset {exc.start}")]


def _header_problems(label: str, header: list[str], fields: list[str]) -> list[Problem]:
    missing = [f for f in fields if f not in header]
    unknown = [h for h in header if h not in fields]
    return [Problem(label, 1, f, "missing column (declared in the schema)") for f in missing] + [
        Problem(label, 1, h or "(blank)", "unknown column (not in the schema)") for h in unknown
    ]


def _source_problems(label: str, rows: list[dict], keys: set[str]) -> list[Problem]:
    found = []
    for number, row in enumerate(rows, start=2):
        for item in filter(None, (s.strip() for s in (row.get("source") or "").split(";"))):
            match = SOURCE_ITEM.fullmatch(item)
            if not match:
                message = f"source item {item!r} is neither 'paper §N.N' nor a bibliography key"
                found.append(Problem(label, number, "source", message))
            elif match["key"] and match["key"] not in keys:
                message = f"source {item!r} is not a key in references.bib"
                found.append(Problem(label, number, "source", message))
    return found


def _union_reference_problems(label: str, rows: list[dict], resource: dict, keys: dict[str, set]) -> list[Problem]:
    """Foreign keys into one of several tables (declared as ``x-union-references``).

    A Table Schema foreign key names one table; a relation's ends may be a
    facility or an organisation, so this small extension checks the union.
    With ``"separator": ";"`` the cell is a list, and every item must be found.
    """
    found = []
    for spec in resource.get("x-union-references", []):
        targets = [t for t in spec["resources"] if t in keys]
        allowed = set().union(*(keys[t] for t in targets)) if targets else set()
        for number, row in enumerate(rows, start=2):
            value = row.get(spec["field"]) or ""
            items = [i.strip() for i in value.split(spec["separator"])] if spec.get("separator") else [value]
            for item in items:
                if item and targets and item not in allowed:
                    message = f"{item!r} not found in table(s) {', '.join(spec['resources'])}"
                    found.append(Problem(label, number, spec["field"], message))
    return found


def _frictionless_problem(label: str, error) -> Problem:
    """Translate one Frictionless error into a Problem with file, row and column."""
    row = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None)
    kind = error.type
    if kind == "primary-key":
        message = f"duplicate or blank primary key: {error.note}"
    elif kind == "foreign-key":
        column = ", ".join(error.field_names)
        values = ", ".join(map(repr, error.field_cells))
        message = f"{values} not found in table {error.reference_name!r}"
    elif kind in ("type-error", "constraint-error"):
        message = f"value {error.cell!r}: {error.note}"
    else:
        message = f"{kind}: {error.note or error.message}"
    return Problem(label, row, column, message)


def _normalised(package: dict) -> dict:
    """The descriptor with the shorthands Table Schema allows written out (a primary key or key fields as one string)."""
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        return package
    resources = []
    for resource in package["resources"]:
        schema = resource.get("schema") if isinstance(resource, dict) else None
        if isinstance(schema, dict):
            schema = dict(schema)
            if isinstance(schema.get("primaryKey"), str):
                schema["primaryKey"] = [schema["primaryKey"]]
            schema["foreignKeys"] = [
                {**key, "fields": [key["fields"]] if isinstance(key.get("fields"), str) else key.get("fields", [])}
                for key in schema.get("foreignKeys", [])
            ]
            resource = {**resource, "schema": schema}
        resources.append(resource)
    return {**package, "resources": resources}


@lru_cache(maxsize=8)
def _validate_cached(data_dir: Path, root: Path, signature: tuple) -> Summary:
    import frictionless  # heavy: imported only when data is actually validated

    package = _normalised(descriptor(data_dir))
    structure = checks.descriptor_problems(package)
    if structure:  # a check it would switch off must not pass in silence: stop here
        label = _label(data_dir, root, DESCRIPTOR)
        raise DataValidationError(
            [
                Problem(label, None, None, f"resource {name!r}: {message}" if name else message)
                for name, message in structure
            ]
        )
    problems: list[Problem] = []
    book_bib, own_bib = root / "references.bib", data_dir / "references.bib"
    for bib in (book_bib, own_bib) if own_bib != book_bib else (book_bib,):
        if bib.is_file():
            label = "references.bib" if bib == book_bib else str(bib)
            problems += [Problem(label, line, None, message) for line, message in checks.bibliography_problems(bib)]
    if own_bib != book_bib and own_bib.is_file() and book_bib.is_file():
        books = set(BIB_KEY.findall(book_bib.read_text(encoding="utf-8")))
        for line, key in checks.bibliography_keys_at(own_bib):
            if key in books:
                message = f"key {checks.shown(key)} is defined twice (first in the book's references.bib); rename yours"
                problems.append(Problem(str(own_bib), line, None, message))
    keys = bibliography_keys(data_dir, root)
    readable = {}
    key_values: dict[str, set] = {}
    row_cache: dict[str, list[dict]] = {}
    for resource in package["resources"]:
        unsafe = layers.not_a_plain_file_inside(data_dir, resource.get("path"))
        if unsafe:  # named, never read: a link or a path outside could hand over any file of the machine
            problems.append(
                Problem(str(data_dir / DESCRIPTOR), None, "path", f"table {resource.get('name')!r}: {unsafe}")
            )
            continue
        label = _label(data_dir, root, resource["path"])
        path = data_dir / resource["path"]
        unreadable = False
        if path.is_file():
            for row, message in checks.byte_problems(path.read_bytes()):
                problems.append(Problem(label, row, None, message))
                unreadable |= "NUL" in message
        text, found = _read_text(path, label)
        problems += found
        if text is None or unreadable:
            continue
        text = text.removeprefix("\ufeff")  # reported above; not a character of the first column's name
        try:
            rows = list(csv.DictReader(io.StringIO(text, newline="")))
            header = next(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            problems.append(Problem(label, None, None, f"not readable as CSV: {exc}"))
            continue
        schema = resource["schema"]
        fields = [f["name"] for f in schema["fields"]]
        problems += _header_problems(label, header, fields)
        problems += _source_problems(label, rows, keys)
        primary = (schema.get("primaryKey") or [None])[0]
        ids = set(schema.get("primaryKey", [])) | {f for f in fields if f.endswith("_id")}
        ids |= {name for key in schema.get("foreignKeys", []) for name in key["fields"]}
        ids |= {spec["field"] for spec in resource.get("x-union-references", [])}
        problems += [Problem(label, r, c, m) for r, c, m in checks.cell_problems(rows, schema["fields"], ids)]
        unique = [primary] if primary else []
        unique += [
            f["name"] for f in schema["fields"] if f.get("constraints", {}).get("unique") and f["name"] != primary
        ]
        for column in unique:  # two values a reader cannot tell apart (case, encoding, a radical) are one value
            problems += [Problem(label, r, column, m) for r, m in checks.case_duplicates(rows, column)]
        if {"from_id", "to_id"} <= set(fields):
            problems += [Problem(label, r, c, m) for r, c, m in checks.self_relation_problems(rows)]
        for number, row in enumerate(rows, start=2):
            problems += [
                Problem(label, number, "source", m) for m in checks.source_item_problems(row.get("source") or "")
            ]
        readable[resource["name"]] = (label, header, len(rows))
        key_values[resource["name"]] = {row.get(primary) for row in rows}
        row_cache[resource["name"]] = rows

    for resource in package["resources"]:
        if resource["name"] in row_cache:
            problems += _union_reference_problems(
                readable[resource["name"]][0], row_cache[resource["name"]], resource, key_values
            )

    # Validate what could be read, each schema reduced to the columns present,
    # so one misnamed column does not hide the cell errors in the others.
    resources = []
    for resource in package["resources"]:
        if resource["name"] not in readable:
            continue
        label, header, _ = readable[resource["name"]]
        declared = {f["name"]: f for f in resource["schema"]["fields"]}
        fields = [declared.get(h, {"name": h, "type": "any"}) for h in header]
        present = set(header)
        reduced = {"fields": fields}
        if set(resource["schema"].get("primaryKey", [])) <= present:
            reduced["primaryKey"] = resource["schema"].get("primaryKey", [])
        reduced["foreignKeys"] = [
            fk
            for fk in resource["schema"].get("foreignKeys", [])
            if set(fk["fields"]) <= present and fk["reference"]["resource"] in readable
        ]
        resources.append({**resource, "schema": reduced})
    if resources:
        report = frictionless.Package({"resources": resources}, basepath=str(data_dir)).validate()
        for task in report.tasks:
            label = readable[task.name][0]
            problems += [_frictionless_problem(label, error) for error in task.errors]

    if problems:
        raise DataValidationError(problems)
    return Summary(data_dir, len(readable), sum(n for _, _, n in readable.values()))


def signature(data_dir: Path, root: Path) -> tuple:
    """What validation depends on: every file of the data directory and the book's bibliography, by time and size.

    A directory laid over the book's tables depends on those too.
    """
    files = sorted(data_dir.glob("*")) + [root / "references.bib"]
    try:
        if layers.is_layered(descriptor(data_dir)):
            files += sorted(layers.book_data(root).glob("*"))
    except (FileNotFoundError, DataValidationError):
        pass
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())


def validate(data_dir: Path, root: Path, stamp: Path | None = None) -> Summary:
    """Check every table of the data package in ``data_dir`` (citing ``root``'s references.bib).

    Raises DataValidationError listing all problems. ``stamp`` is a file that
    remembers the last success across processes (the book build's kernels share
    one): while no file of the data, the bibliography or these rules has changed
    since, the package is not checked again.
    """
    import hashlib
    import json

    directory, root = Path(data_dir).resolve(), Path(root).resolve()
    if layers.is_layered(descriptor(directory)):  # a missing descriptor is its own clear error
        return _validate_layered(directory, root)
    files = signature(directory, root)
    key = hashlib.sha256(repr(files).encode() + Path(__file__).read_bytes()).hexdigest()
    if stamp is not None and stamp.is_file():
        try:
            remembered = json.loads(stamp.read_text(encoding="utf-8"))
        except ValueError:
            remembered = {}
        if remembered.get("key") == key:
            return Summary(directory, remembered["tables"], remembered["rows"])
    summary = _validate_cached(directory, root, files)
    if stamp is not None:  # written only after the package passed
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(json.dumps({"key": key, "tables": summary.tables, "rows": summary.rows}), encoding="utf-8")
    return summary


def _validate_layered(directory: Path, root: Path) -> Summary:
    """Validate a reader's rows over the book's tables; every problem names the reader's file and line."""
    joined = layers.joined(directory, layers.book_data(root))
    problems = [Problem(*found) for found in joined.problems]
    try:
        summary = validate(joined.directory, root)
    except DataValidationError as error:
        for problem in error.problems:
            problems.append(_in_reader_terms(problem, joined))
        summary = None
    if problems:
        raise DataValidationError(problems)
    own = sum(len(lines) for _, _, lines in joined.tables.values())
    return Summary(directory, summary.tables, summary.rows, own_rows=own, tables_dir=joined.directory)


def _in_reader_terms(problem: Problem, joined) -> Problem:
    """A problem of the joined package, told as the reader's file and line (or the book's, for the book's rows)."""
    try:
        relative = Path(problem.file).relative_to(joined.directory).as_posix()
    except ValueError:
        return problem
    if relative == DESCRIPTOR:
        return Problem(str(joined.reader / DESCRIPTOR), problem.row, problem.column, problem.message)
    if relative == "references.bib":
        return Problem(str(joined.reader / "references.bib"), problem.row, problem.column, problem.message)
    file, row = joined.locate(relative, problem.row)
    return Problem(file, row, problem.column, problem.message)


def read_table(name: str, data_dir: Path, root: Path) -> pd.DataFrame:
    """Read one table by name, typed by its schema (the caller has validated the package).

    Columns get the pandas types their schema declares (integers as nullable
    ``Int64``); only empty cells become missing values.
    """
    directory, root = Path(data_dir).resolve(), Path(root).resolve()
    table_schema = schema(name, directory)
    resource = next(r for r in descriptor(directory)["resources"] if r["name"] == name)
    dtypes = {f["name"]: _PANDAS_TYPES.get(f["type"], "string") for f in table_schema["fields"]}
    frame = pd.read_csv(
        directory / resource["path"],
        dtype=dtypes,
        encoding="utf-8",
        keep_default_na=False,
        na_values=[""],
    )
    frame.attrs["table"] = name
    frame.attrs["path"] = _label(directory, root, resource["path"])
    return frame


def dictionary(name: str, data_dir: Path) -> pd.DataFrame:
    """The data dictionary of one table, read from its schema: one row per column."""
    table_schema = schema(name, data_dir)
    references = {
        field: f"{fk['reference']['resource']}.{ref}"
        for fk in table_schema.get("foreignKeys", [])
        for field, ref in zip(fk["fields"], fk["reference"]["fields"])
    }
    rows = []
    for field in table_schema["fields"]:
        constraints = field.get("constraints", {})
        allowed = constraints.get("enum") or constraints.get("pattern") or ""
        rows.append(
            {
                "column": field["name"],
                "type": field["type"],
                "required": "yes" if constraints.get("required") else "no",
                "key": "primary"
                if field["name"] in table_schema.get("primaryKey", [])
                else (f"→ {references[field['name']]}" if field["name"] in references else ""),
                "allowed values": ", ".join(allowed) if isinstance(allowed, list) else allowed,
                "description": field.get("description", ""),
            }
        )
    return pd.DataFrame(rows)
