"""A figure's version, and what it was drawn from: so a reader can tell whether a figure they cited still holds.

A figure is cited as ``fig-…@<book version>+<hash>``: the hash is the first
characters of the SHA-256 of its exported Vega-Lite spec, which holds the rows
drawn, so it changes exactly when what the figure shows changes (in either
edition: the Chinese figure has its own). Beside it, each exported image
records the fingerprints of its inputs (:func:`inputs`): the tables it read,
the chart code, the model code and, in the Chinese edition, the translations.
``python -m infraclusters verify`` compares both with what today's sources give.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..edition import CODE_DOMAIN, DATA_DOMAIN, N_, Edition
from ..text.citation import BOOK_VERSION
from .registry import build, get

HASH_LENGTH = 7
FINGERPRINT_LENGTH = 12
PACKAGE = Path(__file__).resolve().parents[1]


def spec_text(spec: dict) -> str:
    """The spec as the book writes it (``figures/<id>.vl.json``): the text the hash is taken of."""
    return json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def versioned_id(figure_id: str, text: str, version: str = BOOK_VERSION) -> str:
    """``fig-…@0.1.0+1a2b3c4``: the figure, the book's version, and the hash of its spec text."""
    return f"{figure_id}@{version}+{content_hash(text)}"


def parse(versioned: str) -> tuple[str, str | None, str | None]:
    """``fig-x@0.1.0+1a2b3c4`` → ``("fig-x", "0.1.0", "1a2b3c4")``; a bare id → ``("fig-x", None, None)``."""
    figure_id, _, rest = versioned.partition("@")
    version, _, digest = rest.partition("+")
    return figure_id, version or None, digest or None


def _fingerprint(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
        for file in files:
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def inputs(figure_id: str, c, ed: Edition) -> dict[str, str]:
    """What the figure is drawn from, each with a fingerprint: ``table:<name>``, chart code, model code, translation.

    The tables are those the figure's text and chart read (:meth:`Compendium.reading`, whatever was
    computed before) and those its Source line names, fingerprinted by their bytes (a reader's
    directory: the joined table).
    """
    with c.reading() as read:
        fig = get(figure_id, c, ed)
        build(figure_id, c, ed)
    named = {s.removeprefix("data/").removesuffix(".csv") for s in fig.sources if s.startswith("data/")}
    tables = sorted((set(read) | named) & set(c.table_names))  # what it read, and what its Source line names
    found = {f"table:{name}": _fingerprint(c.tables_dir / f"{name}.csv") for name in tables}
    try:
        module = Path(inspect.getsourcefile(getattr(fig.draw, "func", fig.draw)) or "")
    except TypeError:  # a callable without a source file: all the chart code counts
        module = PACKAGE / "figures"
    if not module.is_file():
        module = PACKAGE / "figures"
    found["chart code"] = _fingerprint(module, PACKAGE / "figures" / "theme.py", PACKAGE / "figures" / "registry.py")
    found["model code"] = _fingerprint(PACKAGE / "model")
    if not ed.is_english:
        catalogues = [ed.catalogue_path(CODE_DOMAIN), ed.catalogue_path(DATA_DOMAIN)]
        found["translation"] = _fingerprint(*[p for p in catalogues if p.is_file()])
    return found


def moved_inputs(then: dict[str, str], now: dict[str, str]) -> tuple[str, ...]:
    """The inputs (as recorded: ``table:…``, ``chart code`` …) whose fingerprint differs, or that one side lacks."""
    return tuple(name for name in sorted(set(then) | set(now)) if then.get(name) != now.get(name))


def changed_inputs(then: dict[str, str], now: dict[str, str]) -> list[str]:
    """The inputs whose fingerprint differs, or that one side lacks, in a reader's words."""
    return [describe(name) for name in moved_inputs(then, now)]


INPUT_NAMES = {
    "chart code": N_("the chart code"),
    "model code": N_("the model code"),
    "translation": N_("the translation"),
}


def describe(name: str, ed: Edition | None = None) -> str:
    """An input's name in a reader's words (``table:claims`` → "the data table claims.csv"), in ``ed``'s language."""
    t = ed.t if ed is not None else (lambda message: message)
    if name.startswith("table:"):
        return t("the data table {name}.csv").format(name=name.removeprefix("table:"))
    return t(INPUT_NAMES[name]) if name in INPUT_NAMES else name


# What each release drew: ``releases/<version>.json`` in the source, so the next one can say what changed.
RELEASES = "releases"
#: Beside an edition's exports: every figure's versioned id and input fingerprints, as that build drew them.
MANIFEST = "versions.json"
UNCHANGED, CHANGED, NEW, REMOVED = "unchanged", "changed", "new", "removed"


def edition_manifest(out_dir: Path, figure_ids: list[str]) -> dict[str, dict]:
    """``{figure id: {"id": versioned id, "inputs": {...}}}`` from the provenance each export recorded."""
    found = {}
    for figure_id in figure_ids:
        stamp = Path(out_dir) / ".drawn" / f"{figure_id}.json"  # written by :func:`.export.export`
        meta = json.loads(stamp.read_text(encoding="utf-8"))
        found[figure_id] = {"id": meta["Identifier"], "inputs": json.loads(meta.get("Inputs", "{}"))}
    return found


def write_manifest(out_dir: Path, figure_ids: list[str]) -> Path:
    target = Path(out_dir) / MANIFEST
    text = json.dumps(edition_manifest(out_dir, figure_ids), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if not (target.is_file() and target.read_text(encoding="utf-8") == text):
        target.write_text(text, encoding="utf-8")
    return target


def release_manifest(editions: dict[str, Path], version: str = BOOK_VERSION) -> dict:
    """What a release records: per edition, the manifest its build wrote beside the exports."""
    return {
        "version": version,
        "figures": {
            language: json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
            for language, folder in sorted(editions.items())
        },
    }


def _version_key(version: str) -> tuple:
    """Numbers compared as numbers (0.10 after 0.9); a part that is not a number after any that is."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.+-]", version))


def previous_release(root: Path, version: str = BOOK_VERSION) -> dict | None:
    """The latest release recorded in ``releases/`` before ``version`` (the one this book's figures are
    compared with), or None when no earlier release recorded its figures."""
    folder = Path(root) / RELEASES
    recorded = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if _version_key(str(manifest["version"])) < _version_key(version):
            recorded.append(manifest)
    return max(recorded, key=lambda m: _version_key(str(m["version"])), default=None)


@dataclass(frozen=True)
class Change:
    figure_id: str
    status: str  # UNCHANGED, CHANGED, NEW or REMOVED
    before: str | None  # the versioned id in the earlier release
    now: str | None
    inputs: tuple[str, ...] = ()  # the inputs whose fingerprint moved (names as recorded: "table:…", "chart code")


def compare(before: dict[str, dict], now: dict[str, dict]) -> list[Change]:
    """Each figure of either manifest (one edition's), with what became of it; changed when its spec hash moved."""
    changes = []
    for figure_id in sorted(set(before) | set(now)):
        old, new = before.get(figure_id), now.get(figure_id)
        if old is None or new is None:
            status = NEW if old is None else REMOVED
            changes.append(Change(figure_id, status, old and old["id"], new and new["id"]))
            continue
        if parse(old["id"])[2] == parse(new["id"])[2]:
            changes.append(Change(figure_id, UNCHANGED, old["id"], new["id"]))
            continue
        moved = moved_inputs(old.get("inputs", {}), new.get("inputs", {}))
        changes.append(Change(figure_id, CHANGED, old["id"], new["id"], moved))
    return changes
