"""``python -m infraclusters verify FILE…``: does a downloaded figure still say what today's sources say?

A PNG or SVG names its versioned id (``fig-…@0.1.0+1a2b3c4``) and the
fingerprints of its inputs (see :mod:`.versions`): it matches when today's
spec has the same hash, and when it does not, the inputs whose fingerprints
moved are named. A CSV (the rows drawn) and a Vega-Lite JSON are compared with
today's whole; they carry no record of their inputs, so for them only the fact
of a change can be told. Files are read as data only: never parsed as XML,
never run, never written.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..edition import CHINESE, ENGLISH, Edition
from ..text.citation import BOOK_VERSION
from ..text.inert import spreadsheet_safe
from . import versions
from .registry import build, drawn_data, get
from .registry import spec as spec_of

MATCH, DIFFERS, NOT_A_FIGURE = 0, 1, 2
MAX_BYTES = 50_000_000  # a figure file of this book is far smaller: larger is no figure of it
FIGURE_ID = re.compile(r"fig-[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Finding:
    path: str
    status: int  # MATCH, DIFFERS or NOT_A_FIGURE
    message: str

    def __str__(self) -> str:
        word = {MATCH: "matches", DIFFERS: "differs", NOT_A_FIGURE: "not a figure of this book"}[self.status]
        return f"{self.path}: {word}: {self.message}"


class Today:
    """What today's sources draw for a figure, per edition, computed once."""

    def __init__(self, c, root: Path):
        from . import theme

        theme.setup(offline_html=False)  # as the exports are drawn
        self.c, self.root = c, root
        self._drawn: dict[tuple[str, str], dict] = {}

    def known(self, figure_id: str) -> bool:
        try:
            get(figure_id, self.c, Edition(ENGLISH, root=self.root))
        except KeyError:
            return False
        return True

    def drawn(self, figure_id: str, language: str) -> dict:
        key = (figure_id, language)
        if key not in self._drawn:
            ed = Edition(language, root=self.root)
            fig = get(figure_id, self.c, ed)
            chart = build(figure_id, self.c, ed)
            text = versions.spec_text(spec_of(chart))
            self._drawn[key] = {
                "title": fig.title,
                "spec": text,
                "version": versions.versioned_id(figure_id, text),
                "csv": spreadsheet_safe(drawn_data(chart)).to_csv(index=False, lineterminator="\n"),
                "inputs": versions.inputs(figure_id, self.c, ed),
            }
        return self._drawn[key]

    def editions(self, figure_id: str) -> list[dict]:
        return [self.drawn(figure_id, language) for language in (ENGLISH, CHINESE)]


def verify(paths: list[Path], c, root: Path) -> list[Finding]:
    today = Today(c, root)
    return [_verify_one(Path(path), today) for path in paths]


def exit_status(findings: list[Finding]) -> int:
    """0 when every file matches, 1 when one differs, 2 when one is no figure of this book."""
    return max((f.status for f in findings), default=MATCH)


def _verify_one(path: Path, today: Today) -> Finding:
    name = str(path)
    try:
        if not path.is_file():
            return Finding(name, NOT_A_FIGURE, "no such file")
        if path.stat().st_size > MAX_BYTES:
            return Finding(name, NOT_A_FIGURE, "larger than any figure file this book writes")
        data = path.read_bytes()
    except OSError as exc:
        return Finding(name, NOT_A_FIGURE, f"cannot be read ({exc.strerror or exc})")
    suffix = path.name.lower()
    if suffix.endswith(".png"):
        return _stamped(name, _png_fields(data), today)
    if suffix.endswith(".svg"):
        return _stamped(name, _svg_fields(data), today)
    if suffix.endswith(".json"):
        return _spec(name, data, today)
    if suffix.endswith(".csv"):
        return _rows(name, path.name, data, today)
    return Finding(name, NOT_A_FIGURE, "this book writes figures as PNG, SVG, CSV or Vega-Lite JSON")


def _png_fields(data: bytes) -> dict[str, str] | None:
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                return None
            image.load()
            return {str(k): str(v) for k, v in getattr(image, "text", {}).items()}
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None


def _svg_fields(data: bytes) -> dict[str, str] | None:
    """The book's Dublin Core fields, found by pattern (an SVG is never parsed as XML here: no entities)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    fields = {}
    for tag, key in (("dc:identifier", "Identifier"), ("dcterms:provenance", "Inputs"), ("dc:title", "Title")):
        found = re.search(rf"<{tag}>([^<]*)</{tag}>", text)
        if found:
            fields[key] = html.unescape(found.group(1))
    return fields


def _stamped(name: str, fields: dict[str, str] | None, today: Today) -> Finding:
    if fields is None:
        return Finding(name, NOT_A_FIGURE, "not a readable image of this kind")
    identifier = fields.get("Identifier", "")
    figure_id, version, digest = versions.parse(identifier)
    if not FIGURE_ID.fullmatch(figure_id) or not today.known(figure_id):
        return Finding(name, NOT_A_FIGURE, "it names no figure of this book (no infraclusters Identifier)")
    if digest is None:
        return Finding(
            name, DIFFERS, f"{figure_id} was drawn before figures carried a version; redownload it to cite it"
        )
    drawn = today.editions(figure_id)
    for now in drawn:
        if versions.parse(now["version"])[2] == digest:
            return Finding(name, MATCH, f"{identifier}: today's sources draw the same figure ({now['version']})")
    now = next((d for d in drawn if d["title"] == fields.get("Title")), drawn[0])
    message = f"{identifier}, drawn with version {version}, differs from today's {now['version']}"
    try:
        then = json.loads(fields.get("Inputs", ""))
    except ValueError:
        then = None
    if isinstance(then, dict):
        changed = versions.changed_inputs({str(k): str(v) for k, v in then.items()}, now["inputs"])
        message += "; changed since: " + ("; ".join(changed) if changed else "none of its recorded inputs")
    else:
        message += "; the file records no inputs, so which one changed cannot be told"
    return Finding(name, DIFFERS, message + _since(version))


def _since(version: str | None) -> str:
    if version and version != BOOK_VERSION:
        return f" (the book was at version {version} then and is at {BOOK_VERSION} now)"
    return f" (both at version {BOOK_VERSION}: the change is in this version's sources, not yet released)"


def _spec(name: str, data: bytes, today: Today) -> Finding:
    try:
        spec = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Finding(name, NOT_A_FIGURE, "not JSON")
    if not isinstance(spec, dict) or "vega-lite" not in str(spec.get("$schema", "")):
        return Finding(name, NOT_A_FIGURE, "not a Vega-Lite spec")
    title = spec.get("title", {})
    text = title.get("text") if isinstance(title, dict) else title
    figure_id = _by_title(str(text), today)
    if figure_id is None:
        return Finding(name, NOT_A_FIGURE, "its title is the title of no figure of this book")
    mine = versions.spec_text(spec)
    for now in today.editions(figure_id):
        if now["spec"] == mine:
            return Finding(name, MATCH, f"{figure_id}: today's sources give the same spec ({now['version']})")
    return Finding(
        name,
        DIFFERS,
        f"{figure_id}: today's spec differs ({today.drawn(figure_id, ENGLISH)['version']}); a spec records no "
        "inputs, so which one changed cannot be told: verify the figure's PNG or SVG for that",
    )


def _by_title(text: str, today: Today) -> str | None:
    from .registry import figure_ids

    for figure_id in figure_ids(today.c):
        for language in (ENGLISH, CHINESE):
            fig = get(figure_id, today.c, Edition(language, root=today.root))
            if text in (fig.title_en, fig.title_zh):
                return figure_id
    return None


def _rows(name: str, filename: str, data: bytes, today: Today) -> Finding:
    found = FIGURE_ID.search(filename)
    if found is None or not today.known(found.group(0)):
        return Finding(name, NOT_A_FIGURE, "its name holds no figure id of this book (fig-…)")
    figure_id = found.group(0)
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return Finding(name, NOT_A_FIGURE, "not UTF-8 text")
    for now in today.editions(figure_id):
        if now["csv"] == text:
            return Finding(name, MATCH, f"{figure_id}: today's sources draw the same rows ({now['version']})")
    mine, theirs = set(text.splitlines()[1:]), set(today.drawn(figure_id, ENGLISH)["csv"].splitlines()[1:])
    return Finding(
        name,
        DIFFERS,
        f"{figure_id}: today's rows differ ({len(theirs - mine)} rows new or changed, {len(mine - theirs)} gone); "
        "a CSV records no inputs, so which one changed cannot be told: verify the figure's PNG or SVG for that",
    )
