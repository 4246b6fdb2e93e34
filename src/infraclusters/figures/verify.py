"""``python -m infraclusters verify FILE…``: is a downloaded figure the one it says, and does it still say what today's sources say?

A PNG or SVG names its versioned id (``fig-…@0.1.0+1a2b3c4``), the
fingerprints of its inputs (see :mod:`.versions`) and the hash of its own
picture (the PNG's pixels, the SVG's drawing). ``verify`` checks three things:

1. the picture is the one recorded with it (else it was altered after it was drawn);
2. the picture is what today's sources draw for that id, redrawn here and compared
   pixel for pixel (a resized or re-encoded copy: block by block);
3. the id is today's: when it is not, the inputs whose fingerprints moved are named.

A copy whose metadata was stripped (Word, a CMS, ImageMagick) is compared with
the figure whose id its footer prints, given with ``--id``. A ``.docx`` or
``.pptx`` of this book is checked through the picture inside it, and an id
given alone says whether today's sources draw that version. A CSV (the rows
drawn) and a Vega-Lite JSON are compared with today's whole; they carry no
record of their inputs, so for them only the fact of a change can be told.
Files are read as data only: never parsed as XML, never run, never written.
"""

from __future__ import annotations

import html
import io
import json
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..edition import CHINESE, ENGLISH, Edition
from ..text.citation import BOOK_VERSION
from ..text.inert import spreadsheet_safe
from . import versions
from .export import PNG_SCALE, THUMB_SCALE, chart_rows, draw, drawing_hash, footer_lines, picture_hash, shrunk
from .registry import build, drawn_data, get
from .registry import spec as spec_of

MATCH, DIFFERS, NOT_A_FIGURE = 0, 1, 2
MAX_BYTES = 50_000_000  # a figure file of this book is far smaller: larger is no figure of it
MAX_PIXELS = 40_000_000  # the tallest figure at 2× is far smaller
FIGURE_ID = re.compile(r"fig-[a-z0-9]+(?:-[a-z0-9]+)*")
VERSIONED_ID = re.compile(r"fig-[a-z0-9]+(?:-[a-z0-9]+)*@\d+\.\d+\.\d+\+[0-9a-f]{7}")
#: A resized or re-encoded copy "looks like" a figure when no 8×8 block of it differs by more than this
#: (grey levels, 0–255): resampling and JPEG stay under it, an erased label or a changed bar does not.
BLOCK = 8
BLOCK_TOLERANCE = 24
#: The words a finding is shown with, by what was found.
WORDS = {MATCH: "matches", DIFFERS: "differs", NOT_A_FIGURE: "not a figure of this book"}
ALTERED, NO_PROVENANCE = "altered", "no provenance"


@dataclass(frozen=True)
class Finding:
    path: str
    status: int  # MATCH, DIFFERS or NOT_A_FIGURE
    message: str
    word: str = ""  # a more exact word than the status's: "altered", "no provenance"

    def __str__(self) -> str:
        return f"{self.path}: {self.word or WORDS[self.status]}: {self.message}"


class Today:
    """What today's sources draw for a figure, per edition, computed once: its spec, rows, inputs and picture."""

    def __init__(self, c, root: Path):
        from . import theme

        theme.setup(offline_html=False)  # as the exports are drawn
        self.c, self.root = c, root
        self._drawn: dict[tuple[str, str], dict] = {}
        self._pictures: dict[tuple[str, str], dict] = {}

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
            spec = spec_of(chart)
            text = versions.spec_text(spec)
            self._drawn[key] = {
                "title": fig.title,
                "language": language,
                "spec": text,
                "spec_dict": spec,
                "version": versions.versioned_id(figure_id, text),
                "csv": spreadsheet_safe(drawn_data(chart)).to_csv(index=False, lineterminator="\n"),
                "inputs": versions.inputs(figure_id, self.c, ed),
            }
        return self._drawn[key]

    def editions(self, figure_id: str) -> list[dict]:
        return [self.drawn(figure_id, language) for language in (ENGLISH, CHINESE)]

    def picture(self, figure_id: str, language: str) -> dict:
        """Today's exported picture of the figure: the SVG drawing, the PNG and its thumbnail, as PIL images."""
        from PIL import Image

        key = (figure_id, language)
        if key not in self._pictures:
            now = self.drawn(figure_id, language)
            ed = Edition(language, root=self.root)
            fig = get(figure_id, self.c, ed)
            svg, png = draw(now["spec_dict"], footer_lines(fig, {"Identifier": now["version"]}, ed))
            with Image.open(io.BytesIO(png)) as image:
                full = image.convert("RGBA")
            self._pictures[key] = {
                "svg": svg,
                "png": full,
                "thumb": shrunk(full, THUMB_SCALE / PNG_SCALE),
                "chart_rows": chart_rows(svg) or full.height,
            }
        return self._pictures[key]


def verify(paths: list[Path], c, root: Path, figure_id: str | None = None) -> list[Finding]:
    """One finding per path. A path that is no file but a versioned id (``fig-…@0.1.0+1a2b3c4``) is checked as an
    id; ``figure_id`` is the id a stripped copy's footer prints, to compare its picture with."""
    today = Today(c, root)
    return [_verify_one(Path(path), today, figure_id) for path in paths]


def exit_status(findings: list[Finding]) -> int:
    """0 when every file matches, 1 when one differs (or was altered), 2 when one cannot be told or is no figure."""
    return max((f.status for f in findings), default=MATCH)


def _verify_one(path: Path, today: Today, given: str | None) -> Finding:
    name = str(path)
    try:
        return _verify_file(path, today, given)
    except Exception as exc:  # noqa: BLE001 — a hostile file gets an answer, never a traceback
        return Finding(name, NOT_A_FIGURE, f"cannot be read as a figure ({type(exc).__name__})")


def _verify_file(path: Path, today: Today, given: str | None) -> Finding:
    name = str(path)
    if not path.exists() and VERSIONED_ID.fullmatch(name):
        return _identifier(name, today)
    try:
        if path.is_dir():
            return Finding(name, NOT_A_FIGURE, "a folder, not a file")
        if not path.is_file():
            return Finding(name, NOT_A_FIGURE, "no such file (or an id not of the form fig-…@0.1.0+1a2b3c4)")
        if path.stat().st_size > MAX_BYTES:
            return Finding(name, NOT_A_FIGURE, "larger than any figure file this book writes")
        data = path.read_bytes()
    except OSError as exc:
        return Finding(name, NOT_A_FIGURE, f"cannot be read ({exc.strerror or exc})")
    suffix = path.name.lower()
    if suffix.endswith(".svg"):
        return _svg(name, data, today, given)
    if suffix.endswith(".json"):
        return _spec(name, data, today)
    if suffix.endswith(".csv"):
        return _rows(name, path.name, data, today)
    if suffix.endswith((".docx", ".pptx")):
        return _office(name, data, today, given)
    if suffix.endswith((".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff")):
        return _raster(name, data, today, given)
    return Finding(
        name, NOT_A_FIGURE, "this book writes figures as PNG, SVG, CSV, Vega-Lite JSON, Word and PowerPoint files"
    )


def _identifier(name: str, today: Today) -> Finding:
    """An id alone (as printed under a figure, or cited): does today's book draw that version?"""
    figure_id, _, digest = versions.parse(name)
    if not today.known(figure_id):
        return Finding(name, NOT_A_FIGURE, "it names no figure of this book")
    drawn = today.editions(figure_id)
    for now in drawn:
        if versions.parse(now["version"])[2] == digest:
            return Finding(name, MATCH, f"today's sources draw this version ({now['version']})")
    return Finding(
        name,
        DIFFERS,
        f"today's sources draw {' and '.join(d['version'] for d in drawn)}; an id records no inputs: verify the "
        "figure's PNG or SVG to learn which one changed",
    )


def _open_raster(data: bytes):
    """``(image, text fields)`` of a raster file, or ``(None, None)``; a decompression bomb is no figure."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    return None, None
                image.load()
                fields = {str(k): str(v) for k, v in getattr(image, "text", {}).items()}
                return image.convert("RGBA"), fields
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return None, None


def _raster(name: str, data: bytes, today: Today, given: str | None) -> Finding:
    image, fields = _open_raster(data)
    if image is None:
        return Finding(name, NOT_A_FIGURE, "not a readable image of this kind")
    identifier = fields.get("Identifier", "")

    def compare(picture: dict) -> str:
        return _compare_raster(image, picture)

    if not identifier:
        return _stripped(name, today, given, compare)
    return _self_checked(name, identifier, fields, today, compare, fields.get("Picture", ""), picture_hash(image))


def _self_checked(name: str, identifier: str, fields: dict, today: Today, compare, recorded: str, own: str) -> Finding:
    """First against the hash the file records of its own picture (altered since it was drawn?), then as stamped."""
    if recorded and recorded != own:
        return Finding(
            name,
            DIFFERS,
            f"{identifier}: its picture is not the one it was drawn with (it records {recorded}, its picture "
            f"hashes to {own}): do not cite this copy",
            ALTERED,
        )
    return _stamped(name, identifier, fields, today, compare, intact=recorded == own)


def _stripped(name: str, today: Today, given: str | None, compare) -> Finding:
    """A copy without the book's metadata: compared with the figure whose id the reader read in its footer."""
    if given is None:
        return Finding(
            name,
            NOT_A_FIGURE,
            "it carries no record of which figure it is (its metadata was stripped, as Word, a CMS or "
            "ImageMagick do). If it is a figure of this book, its footer prints its id: run "
            "python -m infraclusters verify --id fig-…@0.1.0+1a2b3c4 FILE to compare its picture with that figure",
            NO_PROVENANCE,
        )
    figure_id, _, digest = versions.parse(given)
    if not FIGURE_ID.fullmatch(figure_id) or not today.known(figure_id):
        return Finding(name, NOT_A_FIGURE, f"--id {given} names no figure of this book")
    drawn = today.editions(figure_id)
    same = [d for d in drawn if digest is not None and versions.parse(d["version"])[2] == digest]
    for now in same or drawn:
        found = compare(today.picture(figure_id, now["language"]))
        if found == "same":
            return Finding(
                name,
                MATCH,
                f"its metadata was stripped, but its picture is pixel for pixel what "
                f"today's sources draw for {now['version']}",
            )
        if found == "alike":
            return Finding(
                name,
                MATCH,
                f"its metadata was stripped and it was resized or re-encoded; it looks, "
                f"block by block, like what today's sources draw for {now['version']} (a small edit "
                "cannot be ruled out at this size: cite the book's own file)",
            )
        if found == "same chart" and not same:
            return Finding(
                name,
                MATCH,
                f"its metadata was stripped; the picture above its footer is pixel for "
                f"pixel today's, whose id is {now['version']}",
            )
    return Finding(
        name,
        DIFFERS,
        f"its picture is not what today's sources draw for {given}: it was altered, or drawn from other sources "
        "(a stripped copy records no inputs, so which cannot be told)",
    )


def _compare_raster(image, picture: dict) -> str:
    """``same``, ``same chart`` (all but the footer), ``alike`` (a resized or re-encoded copy) or ``different``."""
    for drawn in (picture["png"], picture["thumb"]):
        if image.size == drawn.size:
            if image.tobytes() == drawn.tobytes():
                return "same"
            if drawn is picture["png"] and _rows_equal(image, drawn, picture["chart_rows"]):
                return "same chart"
            return "alike" if _alike(image, drawn) else "different"
    full = picture["png"]
    if abs(image.width / image.height - full.width / full.height) > 0.01 or image.width < 64:
        return "different"
    return "alike" if _alike(image, shrunk(full, image.width / full.width).resize(image.size)) else "different"


def _rows_equal(a, b, rows: int) -> bool:
    return a.crop((0, 0, a.width, rows)).tobytes() == b.crop((0, 0, b.width, rows)).tobytes()


def _alike(a, b) -> bool:
    """No 8×8 block of the two (same size, on white) differs by more than :data:`BLOCK_TOLERANCE` grey levels."""
    from PIL import Image, ImageChops

    def grey(image):
        white = Image.new("RGBA", image.size, "white")
        return Image.alpha_composite(white, image.convert("RGBA")).convert("L")

    size = (max(1, a.width // BLOCK), max(1, a.height // BLOCK))
    difference = ImageChops.difference(grey(a), grey(b)).resize(size, Image.Resampling.BOX)
    return difference.getextrema()[1] <= BLOCK_TOLERANCE


def _office(name: str, data: bytes, today: Today, given: str | None) -> Finding:
    """A ``.docx`` or ``.pptx``: the figure is the PNG inside (python-docx keeps it as the book wrote it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist()[:2000] if re.fullmatch(r"(word|ppt)/media/[^/]+\.png", m.filename)]
            if not members:
                return Finding(
                    name, NOT_A_FIGURE, "it holds no PNG picture (a Word or PowerPoint file of this book holds one)"
                )
            if any(m.file_size > MAX_BYTES for m in members):
                return Finding(name, NOT_A_FIGURE, "its picture is larger than any figure this book draws")
            pictures = [archive.read(m) for m in members]
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return Finding(name, NOT_A_FIGURE, "not a readable Word or PowerPoint file")
    findings = [_raster(name, picture, today, given) for picture in pictures]
    found = max(findings, key=lambda f: f.status)  # one picture of this book; any other is told
    return Finding(name, found.status, "its picture: " + found.message, found.word)


SVG_BLOCK = re.compile(r"<title>[^<]*</title><desc>[^<]*</desc><metadata>.*?</metadata>", re.S)


def _svg(name: str, data: bytes, today: Today, given: str | None) -> Finding:
    """The book's metadata block sits right after the opening tag: found there by pattern (never parsed as XML)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Finding(name, NOT_A_FIGURE, "not UTF-8 text")
    opening = re.search(r"<svg\b[^>]*>", text)
    if opening is None:
        return Finding(name, NOT_A_FIGURE, "not an SVG picture")
    block = SVG_BLOCK.match(text, opening.end())
    drawing = text if block is None else text[: block.start()] + text[block.end() :]
    if block is None:
        return _stripped(name, today, given, lambda picture: _compare_svg(drawing, picture))
    fields = {}
    for tag, key in (
        ("dc:identifier", "Identifier"),
        ("dcterms:provenance", "Inputs"),
        ("dc:title", "Title"),
        ("dcterms:format", "Picture"),
    ):
        found = re.search(rf"<{tag}>([^<]*)</{tag}>", block.group(0))
        if found:
            fields[key] = html.unescape(found.group(1))
    recorded = fields.get("Picture", "").removeprefix("picture ")

    def compare(picture: dict) -> str:
        return _compare_svg(drawing, picture)

    return _self_checked(name, fields.get("Identifier", ""), fields, today, compare, recorded, drawing_hash(drawing))


def _compare_svg(drawing: str, picture: dict) -> str:
    if drawing == picture["svg"]:
        return "same"
    footer = re.compile(r'<g class="infra-footer">.*?</g>', re.S)
    return "same chart" if footer.sub("", drawing) == footer.sub("", picture["svg"]) else "different"


def _stamped(name: str, identifier: str, fields: dict[str, str], today: Today, compare, intact: bool) -> Finding:
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
            found = compare(today.picture(figure_id, now["language"]))
            if found == "same":
                return Finding(
                    name, MATCH, f"{identifier}: its picture is pixel for pixel what today's sources draw for it"
                )
            cause = (
                "its recorded picture hash holds, so it was drawn so: this machine's fonts or renderer may differ "
                "from the ones it was drawn with"
                if intact
                else "it records no picture hash to tell when"
            )
            return Finding(
                name,
                DIFFERS,
                f"{identifier}: it names today's version, but its picture is not what that version draws ({cause})",
                ALTERED,
            )
    now = next((d for d in drawn if d["title"] == fields.get("Title")), drawn[0])
    try:
        then = json.loads(fields.get("Inputs", ""))
    except ValueError:
        then = None
    if isinstance(then, dict):
        changed = versions.changed_inputs({str(k): str(v) for k, v in then.items()}, now["inputs"])
        because = "changed since: " + ("; ".join(changed) if changed else "none of its recorded inputs")
    else:
        because = "the file records no inputs, so which one changed cannot be told"
    if compare(today.picture(figure_id, now["language"])) == "same chart":
        return Finding(
            name,
            MATCH,
            f"{identifier}: the picture above its footer is pixel for pixel today's ({now['version']}); only what "
            f"is not drawn (tooltips, the rows' other columns) moved; {because}. Cite today's id",
        )
    message = f"{identifier}, drawn with version {version}, differs from today's {now['version']}; {because}"
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
