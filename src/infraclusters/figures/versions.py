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
from pathlib import Path

from ..edition import CODE_DOMAIN, DATA_DOMAIN, Edition
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

    The tables are those the figure's text and chart read (:meth:`Compendium.reading`),
    fingerprinted by their bytes (a reader's directory: the joined table).
    """
    with c.reading() as read:
        fig = get(figure_id, c, ed)
        build(figure_id, c, ed)
    found = {f"table:{name}": _fingerprint(c.tables_dir / f"{name}.csv") for name in sorted(read)}
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


def changed_inputs(then: dict[str, str], now: dict[str, str]) -> list[str]:
    """The inputs whose fingerprint differs, or that one side lacks, in a reader's words."""
    names = sorted(set(then) | set(now))
    return [describe(name) for name in names if then.get(name) != now.get(name)]


def describe(name: str) -> str:
    if name.startswith("table:"):
        return f"the data table {name.removeprefix('table:')}.csv"
    return {
        "chart code": "the chart code",
        "model code": "the model code",
        "translation": "the translation",
    }.get(name, name)
