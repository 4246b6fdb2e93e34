"""Exporting a figure: PNG (2×), SVG, Vega-Lite JSON, the CSV of the rows drawn, a thumbnail, citations, Word and PowerPoint.

The PNG and SVG carry the figure's title, caption, source, licence and citation
inside the file, so a figure pasted into a report keeps where it came from.
Images are redrawn only when their spec or provenance changed.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..edition import Edition
from ..text import citation
from ..text.inert import spreadsheet_safe
from . import report, theme, versions
from .registry import Figure, build, drawn_data, figure_ids, get
from .registry import spec as spec_of

PNG_SCALE = 2
#: Bumped when what the images record changes (2: the picture's hash), so images drawn before are redrawn.
IMAGE_FORMAT = "3"
THUMB_SCALE = 0.5


def export(figure_id: str, out_dir, c, ed: Edition, chart=None, number: str | None = None) -> list[Path]:
    """Write PNG, SVG, Vega-Lite JSON, CSV, a thumbnail and the citation files of one figure.

    ``number`` is the figure's number in the book ("2.1"), which its citations give.

    The PNG and SVG carry the figure's title, caption, source and citation inside
    the file (PNG text chunks; SVG title, desc and Dublin Core metadata), so a
    figure pasted into a report keeps where it came from.
    """
    theme.setup(offline_html=False)
    fig = get(figure_id, c, ed)
    chart = build(figure_id, c, ed) if chart is None else chart
    spec = spec_of(chart)
    spec_text = versions.spec_text(spec)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    meta = provenance(fig, versions.versioned_id(fig.id, spec_text), versions.inputs(figure_id, c, ed), number)
    stem = out / fig.id
    cited = (meta["Identifier"], fig.title, ed, fig.dataset, number)
    files = {
        f"{fig.id}.vl.json": spec_text,
        f"{fig.id}.csv": spreadsheet_safe(drawn_data(chart)).to_csv(index=False, lineterminator="\n"),
        f"{fig.id}.txt": meta["Citation"] + "\n",
        f"{fig.id}.bib": citation.figure_bibtex(*cited),
        f"{fig.id}.ris": citation.figure_ris(*cited),
        f"{fig.id}.csl.json": citation.figure_csl(*cited),
    }
    images = [out / f"{fig.id}.{ext}" for ext in ("svg", "png", "thumb.png", "docx", "pptx")]
    footer = footer_lines(fig, meta, ed, number)
    drawn_with = meta | {"Footer": "\n".join(footer), "Format": IMAGE_FORMAT}  # what the images show and say
    unchanged = (
        all(p.is_file() for p in images)
        and (out / f"{fig.id}.vl.json").is_file()
        and (
            (out / f"{fig.id}.vl.json").read_text(encoding="utf-8") == spec_text
            and _stamp(stem) == json.dumps(drawn_with, sort_keys=True)
        )
    )
    written = []
    for name, text in files.items():  # rewritten only when changed: a page depends on its figure's spec file
        target = out / name
        if not (target.is_file() and target.read_text(encoding="utf-8") == text):
            target.write_text(text, encoding="utf-8")
        written.append(target)
    if not unchanged:  # the drawing is the costly part: redo it only when the spec or provenance changed
        drawn, png = draw(spec, footer)
        images[0].write_text(svg_with_provenance(drawn, meta), encoding="utf-8")
        images[1].write_bytes(png_with_provenance(png, meta))
        images[2].write_bytes(png_with_provenance(png, meta, shrink=THUMB_SCALE / PNG_SCALE))
        stamped = images[1].read_bytes()
        images[3].write_bytes(report.docx(stamped, meta, fig.alt, ed))  # a figure for a report, and a slide
        images[4].write_bytes(report.pptx(stamped, meta, fig.alt, ed, report.smallest_text_px(spec), chart_rows(drawn)))
        _stamp(stem, json.dumps(drawn_with, sort_keys=True))
    return written + images


def draw(spec: dict, footer: list[str]) -> tuple[str, bytes]:
    """The figure as the exports show it: its SVG with the footer under it, and that SVG as a PNG (2×)."""
    import altair as alt
    import vl_convert

    vl_version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    drawn = with_footer(vl_convert.vegalite_to_svg(spec, vl_version=vl_version), footer)
    return drawn, vl_convert.svg_to_png(drawn, scale=PNG_SCALE)


def chart_rows(svg: str) -> int | None:
    """The rows of the exported PNG above the footer :func:`with_footer` adds, read from the drawn SVG."""
    import re

    footer = re.search(r'<g class="infra-footer"><rect x="0" y="([\d.]+)"', svg)
    return round(float(footer.group(1)) * PNG_SCALE) if footer else None


def shrunk(image, shrink: float):
    """A thumbnail of ``image`` (a PIL image): ``shrink`` times its size, resampled as the exports are."""
    from PIL import Image

    return image.resize(
        (max(1, round(image.width * shrink)), max(1, round(image.height * shrink))), Image.Resampling.LANCZOS
    )


def picture_hash(image) -> str:
    """A PIL image's picture, as a hash of its size and RGBA pixels: what a viewer shows, whatever the encoding."""
    import hashlib

    rgba = image.convert("RGBA")
    return hashlib.sha256(f"{rgba.width}x{rgba.height}:".encode() + rgba.tobytes()).hexdigest()[:16]


def drawing_hash(svg: str) -> str:
    """An exported SVG's drawing (the file without the provenance block :func:`svg_with_provenance` adds)."""
    import hashlib

    return hashlib.sha256(svg.encode("utf-8")).hexdigest()[:16]


FOOTER_PX, FOOTER_LINE_PX, FOOTER_PAD_PX = 10, 14, 8
#: Columns of the footer's line wrapping: one per 5.6 px of a 10 px Latin glyph (a CJK glyph counts two).
FOOTER_COLUMN_PX = 5.6


def footer_lines(fig: Figure, meta: dict[str, str], ed: Edition, number: str | None = None) -> list[str]:
    """What a figure says under itself once it leaves the book, as Our World in Data's charts do: its
    sources, the licence and the short citation with the figure's number in the book and versioned id,
    and the book's address once it has one."""
    sources = source_list(fig, ed)
    licence = (
        ed.t("Data: {licence}; drawing: CC BY 4.0").format(licence=fig.dataset.licence)
        if fig.dataset is not None
        else "CC BY 4.0"
    )
    cite = ed.t("{author} ({year}), {title}, figure {identifier}").format(
        author=citation.BOOK_AUTHOR,
        year=citation.BOOK_YEAR,
        title=citation.book_title(ed),
        identifier=f"{number} ({meta['Identifier']})" if number else meta["Identifier"],
    )
    where = citation.figure_url(meta["Identifier"], ed)
    return [ed.t("Source: {sources}").format(sources=sources), f"{licence} · {cite}" + (f" · {where}" if where else "")]


def with_footer(svg: str, lines: list[str]) -> str:
    """The drawn SVG with ``lines`` set under it in 10 px text, wrapped to its width, on a white band."""
    import re
    from xml.sax.saxutils import escape

    from .marks import wrap

    opening = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"[^>]*>', svg)
    width, height = float(opening.group(1)), float(opening.group(2))
    columns = max(int((width - 2 * FOOTER_PAD_PX) / FOOTER_COLUMN_PX), 40)
    wrapped = [part for line in lines for part in wrap(line, columns) or [""]]
    band = FOOTER_PAD_PX + FOOTER_LINE_PX * len(wrapped) + FOOTER_PAD_PX // 2
    total = height + band
    texts = "".join(
        f'<text x="{FOOTER_PAD_PX}" y="{height + FOOTER_PAD_PX + FOOTER_LINE_PX * (i + 1) - 3:g}" '
        f'font-family="{escape(theme.FONT)}" font-size="{FOOTER_PX}px" fill="#444444">{escape(line)}</text>'
        for i, line in enumerate(wrapped)
    )
    footer = (
        f'<g class="infra-footer"><rect x="0" y="{height:g}" width="{width:g}" height="{band:g}" fill="white"/>'
        f'<line x1="{FOOTER_PAD_PX}" x2="{width - FOOTER_PAD_PX:g}" y1="{height + 2:g}" y2="{height + 2:g}" '
        f'stroke="#dddddd"/>{texts}</g>'
    )
    head = opening.group(0)
    head = re.sub(r'\bheight="[\d.]+"', f'height="{total:g}"', head, count=1)
    head = re.sub(r'viewBox="([\d.]+) ([\d.]+) ([\d.]+) [\d.]+"', rf'viewBox="\1 \2 \3 {total:g}"', head, count=1)
    body = svg[opening.end() :]
    closing = body.rindex("</svg>")
    return svg[: opening.start()] + head + body[:closing] + footer + body[closing:]


def _stamp(stem: Path, value: str | None = None) -> str | None:
    """Read (or write) the provenance an image was last drawn with, kept beside the exports."""
    path = stem.parent / ".drawn" / f"{stem.name}.json"
    if value is None:
        return path.read_text(encoding="utf-8") if path.is_file() else None
    path.parent.mkdir(exist_ok=True)
    path.write_text(value, encoding="utf-8")
    return value


def source_list(fig: Figure, ed: Edition) -> str:
    """A figure's sources as a reader of the edition reads them: 论文§2 in Chinese, paper §2 in English."""
    return ed.sep.join(ed.paper_source(s.removeprefix("dataset: ")) for s in fig.sources)


def provenance(
    fig: Figure, version: str | None = None, inputs: dict[str, str] | None = None, number: str | None = None
) -> dict[str, str]:
    """What an exported file says about itself: title, caption, source, licence, citation, version, inputs.

    In the figure's language, as its title and caption are. ``version`` is the
    figure's versioned id (``fig-…@0.1.0+1a2b3c4``, see :mod:`.versions`);
    ``inputs`` the fingerprints of what it was drawn from.
    """
    identifier = version or fig.id
    ed = Edition(fig.language)
    licence = (
        ed.t("Data: {licence} (the dataset's); the drawing: CC BY 4.0.").format(licence=fig.dataset.licence)
        if fig.dataset is not None
        else "CC BY 4.0."
    )
    meta = {
        "Title": fig.title,
        "Description": fig.caption,
        "Source": source_list(fig, ed)
        + ed.t(". Drawn by infraclusters ({title}).").format(title=citation.book_title(ed)),
        "Copyright": f"{licence} {ed.t('Cite as below.')}",
        "Citation": citation.figure_text(identifier, fig.title, ed, fig.dataset, number, beside_book=_beside_book(fig)),
        "Identifier": identifier,
    }
    if inputs is not None:
        meta["Inputs"] = json.dumps(inputs, sort_keys=True)
    return meta


def _beside_book(fig: Figure) -> bool:
    """A figure of the book's (not a case page of the reader's own) drawn from a reader's rows beside the book's."""
    return fig.dataset is not None and any(not s.startswith("dataset: ") for s in fig.sources)


def png_with_provenance(png: bytes, meta: dict[str, str], shrink: float = 1.0) -> bytes:
    """The PNG (optionally shrunk, for thumbnails) with one iTXt (UTF-8) chunk per provenance field.

    ``Picture`` records the hash of its pixels (:func:`picture_hash`), so ``verify`` can tell an
    image altered after it was drawn, even when its other fields were copied.
    """
    import io

    from PIL import Image, PngImagePlugin

    buffer = io.BytesIO()
    with Image.open(io.BytesIO(png)) as image:
        if shrink != 1.0:
            image = shrunk(image, shrink)
        info = PngImagePlugin.PngInfo()
        for key, value in (meta | {"Picture": picture_hash(image)}).items():
            info.add_itxt(key, value, zip=False)
        image.save(buffer, format="PNG", pnginfo=info, optimize=False)
    return buffer.getvalue()


def svg_with_provenance(svg: str, meta: dict[str, str]) -> str:
    """The SVG with <title>, <desc> and Dublin Core <metadata> right after its opening tag."""
    from xml.sax.saxutils import escape

    fields = {
        "title": "Title",
        "description": "Description",
        "source": "Source",
        "rights": "Copyright",
        "bibliographicCitation": "Citation",
        "identifier": "Identifier",
    }
    dublin_core = "".join(f"<dc:{tag}>{escape(meta[key])}</dc:{tag}>" for tag, key in fields.items())
    if "Inputs" in meta:  # what the figure was drawn from (see figures.versions)
        dublin_core += f"<dcterms:provenance>{escape(meta['Inputs'])}</dcterms:provenance>"
    dublin_core += f"<dcterms:format>picture {drawing_hash(svg)}</dcterms:format>"  # the drawing, as verify checks
    block = (
        (
            f"<title>{escape(meta['Title'])}</title><desc>{escape(meta['Description'])}</desc>"
            '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
            f"<rdf:Description>{dublin_core}</rdf:Description></rdf:RDF></metadata>"
        )
        .replace("<dc:bibliographicCitation>", "<dcterms:bibliographicCitation>")
        .replace("</dc:bibliographicCitation>", "</dcterms:bibliographicCitation>")
    )
    opening = svg.index(">", svg.index("<svg")) + 1
    return svg[:opening] + block + svg[opening:]


def export_all(
    out_dir,
    c,
    ed: Edition,
    only: list[str] | None = None,
    workers: int | None = None,
    numbers: dict[str, str] | None = None,
) -> list[Path]:
    """Export every figure of the book (or the ids in ``only``) into ``out_dir``.

    Drawing is CPU-bound, so figures are shared among worker processes (one per
    core, started fresh with "spawn": vl-convert's runtime does not survive a fork);
    each worker opens the same compendium and edition. The files are the same
    whatever the number of workers.
    """
    import os
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    ids = only if only is not None else figure_ids(c)
    numbers = numbers or {}
    workers = workers or min(len(ids), os.cpu_count() or 1)
    if workers <= 1 or len(ids) < 4:
        written = [
            path for figure_id in ids for path in export(figure_id, out_dir, c, ed, number=numbers.get(figure_id))
        ]
    else:
        from ..children import die_with_parent

        context = get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=die_with_parent) as pool:
            n = len(ids)
            where = [(str(c.data_dir), str(c.root), ed.language, str(ed.root) if ed.root else None)] * n
            results = pool.map(_export_in_worker, ids, [str(out_dir)] * n, where, [numbers.get(i) for i in ids])
            written = [path for paths_written in results for path in paths_written]
    if only is None:  # the whole book: what a release records, and the "What changed" appendix compares
        written.append(versions.write_manifest(Path(out_dir), ids))
    return written


def _export_in_worker(figure_id: str, out_dir: str, where: tuple, number: str | None = None) -> list[Path]:
    from ..edition import Edition
    from ..model import Compendium

    data_dir, root, language, locales_root = where
    return export(
        figure_id, out_dir, Compendium.open(data_dir, root), Edition(language, root=locales_root), number=number
    )
