"""A figure ready for a report: a Word document and PowerPoint slides, each carrying its citation.

The ``.docx`` is an A4 page (the edition's margins: Word's defaults for its
locale) holding the figure, scaled to fit the text area with its caption
below it (alt text set on the image); a caption numbered by Word itself (a
``SEQ Figure`` field in English, ``SEQ 图`` in Chinese, so it counts with the
captions Word itself inserts in the reader's report); the source line, the
licence and the citation. The ``.pptx`` has 16:9 slides with the title, the
figure (alt text set), a source footer, and the citation in the speaker notes.
A figure too large to keep its smallest text (read from its spec) at
:data:`MIN_SLIDE_PT` points on one slide is split across slides, evenly and
where the picture has the least ink; each slide crops the same embedded picture, so
``verify`` reads it whole, and shows the chart above the picture's footer (the
slide's own footer and notes carry the source, licence and citation). Both declare
the edition's language, and both are written byte for byte the same on every
run (the book's release date inside, fixed zip times).
"""

from __future__ import annotations

import io
import math
import zipfile
from datetime import datetime

from ..archives import reproducible_zip
from ..edition import Edition
from ..text.citation import BOOK_DATE

#: The date written inside the documents: the book's release date (the formats require one; a fixed one keeps
#: them reproducible).
FIXED_DATE = datetime.fromisoformat(BOOK_DATE)
#: The smallest text a chart draws when nothing else is known, in CSS pixels, and the smallest size text may have
#: on a slide (points).
MIN_TEXT_PX, MIN_SLIDE_PT = 10, 10
#: The exported PNG's pixels per CSS pixel (see :mod:`.export`).
PNG_SCALE = 2
EMU_PER_PT, EMU_PER_CM = 12700, 360000
#: A4, and the margins Word gives a new document in each locale (cm): 2.54 all round in English; in Chinese
#: 2.54 top and bottom, 3.18 left and right.
A4_CM = (21.0, 29.7)
MARGINS_CM = {"en": (2.54, 2.54), "zh_CN": (2.54, 3.18)}  # (top and bottom, left and right)
#: Room kept under the picture for the caption, so the caption stays on the figure's page.
CAPTION_ROOM_CM = 3.0


def _labels(ed: Edition) -> dict[str, str]:
    if ed.is_chinese:
        return {"figure": "图", "source": "来源：", "licence": "许可：", "cite": "引用：", "part": "（{k}/{n}）"}
    return {"figure": "Figure", "source": "Source: ", "licence": "Licence: ", "cite": "Cite as: ", "part": " ({k}/{n})"}


def _language(ed: Edition) -> str:
    return "zh-CN" if ed.is_chinese else "en-GB"


def _reproducible(data: bytes) -> bytes:
    """The same Office file with every zip entry dated 1980-01-01 (python-docx and -pptx stamp the time of saving)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return reproducible_zip((item.filename, source.read(item.filename)) for item in source.infolist())


def clipped(text: str, limit: int = 255) -> str:
    """``text`` in at most ``limit`` characters, cut after a whole word (or CJK character) with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2 and not any("\u4e00" <= ch <= "\u9fff" for ch in cut[space:]):
        cut = cut[:space]
    return cut.rstrip(" ,;:，；：") + "…"


def _core(properties, meta: dict[str, str], ed: Edition) -> None:
    properties.title = clipped(meta["Title"])
    properties.subject = clipped(meta["Description"])
    properties.identifier = meta["Identifier"]
    properties.comments = clipped(meta["Citation"])  # the core properties hold 255 characters; the body holds it
    properties.author = "infraclusters"
    properties.last_modified_by = "infraclusters"
    properties.language = _language(ed)
    properties.created = properties.modified = FIXED_DATE
    properties.revision = 1


def _pixels(png: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return image.size


def picture_size_cm(png: bytes, ed: Edition) -> tuple[float, float]:
    """The picture's size on the Word page: the text area's width, or less so that it and its caption fit."""
    width_px, height_px = _pixels(png)
    vertical, horizontal = MARGINS_CM["zh_CN" if ed.is_chinese else "en"]
    text_w, text_h = A4_CM[0] - 2 * horizontal, A4_CM[1] - 2 * vertical - CAPTION_ROOM_CM
    scale = min(text_w / width_px, text_h / height_px)
    return width_px * scale, height_px * scale


def docx(png: bytes, meta: dict[str, str], alt: str, ed: Edition) -> bytes:
    """The figure as a Word document: image with alt text, numbered caption, source, licence, citation."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    labels = _labels(ed)
    document = Document()
    _core(document.core_properties, meta, ed)
    _declare_language(document, ed)
    vertical, horizontal = MARGINS_CM["zh_CN" if ed.is_chinese else "en"]
    for section in document.sections:
        section.page_width, section.page_height = Cm(A4_CM[0]), Cm(A4_CM[1])
        section.top_margin = section.bottom_margin = Cm(vertical)
        section.left_margin = section.right_margin = Cm(horizontal)
    width, height = picture_size_cm(png, ed)
    document.add_picture(io.BytesIO(png), width=Cm(width), height=Cm(height))
    picture = document.inline_shapes[-1]
    picture._inline.docPr.set("descr", alt)
    picture._inline.docPr.set("title", clipped(meta["Title"]))
    document.paragraphs[-1].paragraph_format.keep_with_next = True  # the caption stays under its picture
    caption = document.add_paragraph(style="Caption")
    caption.add_run(labels["figure"] + ("" if ed.is_chinese else " "))
    number = OxmlElement("w:fldSimple")  # Word numbers the figure in the reader's report, with its own captions
    number.set(qn("w:instr"), rf" SEQ {labels['figure']} \* ARABIC ")
    shown = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    shown.append(text)
    number.append(shown)
    caption._p.append(number)
    caption.add_run(("：" if ed.is_chinese else ": ") + meta["Title"])
    document.add_paragraph(meta["Description"])
    document.add_paragraph(labels["source"] + meta["Source"])
    document.add_paragraph(labels["licence"] + meta["Copyright"])
    document.add_paragraph(labels["cite"] + meta["Citation"])
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible(buffer.getvalue())


def _declare_language(document, ed: Edition) -> None:
    """The document's default language (and, in Chinese, East Asian text in the locale's own font)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in run_defaults.findall(qn("w:lang")):
        run_defaults.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), _language(ed))
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    run_defaults.append(lang)
    if ed.is_chinese:  # Chinese text in the locale's own face (宋体), not the template's theme font
        fonts = run_defaults.find(qn("w:rFonts"))
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        fonts.set(qn("w:eastAsia"), "SimSun")


def smallest_text_px(spec) -> float:
    """The smallest font size a Vega-Lite spec sets anywhere (its marks, axes, legends, titles), or Vega's default
    11 px when it sets none smaller."""
    sizes = [11.0]

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.lower().endswith("fontsize") and isinstance(value, int | float) and value > 0:
                    sizes.append(float(value))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return min(sizes)


#: A cut looks for a quiet band this many PNG pixels either side of it (wider than the gap between a label's
#: lines, narrower than the gap between two labels).
QUIET_BAND = 8


def _ink(lines) -> list[int]:
    """Per line of a greyscale picture (rows of the array): how many pixels near it (within :data:`QUIET_BAND`
    lines) are not near white."""
    import numpy as np

    per_line = (lines < 200).sum(axis=1)
    return [int(v) for v in np.convolve(per_line, np.ones(2 * QUIET_BAND + 1, dtype=int), mode="same")]


def _cuts(ink: list[int], length: int, limit: int) -> list[tuple[int, int]]:
    """``[(start, end)]`` spans of at most ``limit`` covering ``length``, as even as may be, each ending on the line
    with the least ink near the even cut (between two rows of labels, not through one)."""
    spans, start = [], 0
    while length - start > limit:
        parts = math.ceil((length - start) / limit)
        target = start + (length - start) // parts
        reach = max(1, (length - start) // parts // 4)
        window = range(max(start + 1, target - reach), min(start + limit, target + reach) + 1)
        end = min(window, key=lambda i: (ink[i], abs(i - target)))
        spans.append((start, end))
        start = end
    spans.append((start, length))
    return spans


def slide_tiles(
    png: bytes, box_pt: tuple[float, float], text_px: float = MIN_TEXT_PX, rows: int | None = None
) -> tuple[float, list[tuple[int, int, int, int]]]:
    """The scale (points per PNG pixel) and the parts ``(left, top, right, bottom)`` of the picture's first
    ``rows`` rows (the chart above its footer), one per slide, so that its smallest text (``text_px`` CSS
    pixels) keeps :data:`MIN_SLIDE_PT` points: the whole when it fits so."""
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        grey = np.asarray(image.convert("RGBA").convert("L"))
    grey = grey[: rows or grey.shape[0]]
    height, width = grey.shape
    box_w, box_h = box_pt
    readable = MIN_SLIDE_PT / text_px / PNG_SCALE  # points per PNG pixel at which the smallest text is 10 pt
    fitted = min(box_w / width, box_h / height)
    if fitted >= readable:
        return min(fitted, 2 * readable), [(0, 0, width, height)]
    rows_ = _cuts(_ink(grey), height, math.floor(box_h / readable))
    columns = _cuts(_ink(grey.T), width, math.floor(box_w / readable))
    return readable, [(left, top, right, bottom) for top, bottom in rows_ for left, right in columns]


def pptx(
    png: bytes, meta: dict[str, str], alt: str, ed: Edition, text_px: float = MIN_TEXT_PX, rows: int | None = None
) -> bytes:
    """The figure as 16:9 slides: title, image (alt text set), source footer, citation in the notes; split across
    slides when one would shrink its smallest text (``text_px``) below :data:`MIN_SLIDE_PT`.

    ``rows``: the picture's rows above its footer; a slide shows those, as its own footer and notes say the rest."""
    from pptx import Presentation
    from pptx.enum.lang import MSO_LANGUAGE_ID
    from pptx.util import Emu, Pt

    labels = _labels(ed)
    language = MSO_LANGUAGE_ID.SIMPLIFIED_CHINESE if ed.is_chinese else MSO_LANGUAGE_ID.ENGLISH_UK
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in
    _core(deck.core_properties, meta, ed)
    margin = Emu(365760)  # 0.4 in
    width = deck.slide_width - 2 * margin
    top, bottom = Emu(914400), deck.slide_height - Emu(777240)
    scale, tiles = slide_tiles(png, (width / EMU_PER_PT, (bottom - top) / EMU_PER_PT), text_px, rows)
    full_w, full_h = _pixels(png)
    licence = meta["Copyright"].replace(ed.t("Cite as below."), "").strip()  # on a slide, the citation is in the notes
    for k, (left, upper, right, lower) in enumerate(tiles, start=1):
        part = labels["part"].format(k=k, n=len(tiles)) if len(tiles) > 1 else ""
        slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
        title = slide.shapes.add_textbox(margin, Emu(182880), width, Emu(640080)).text_frame
        title.word_wrap = True
        title.text = meta["Title"] + part
        title.paragraphs[0].runs[0].font.size = Pt(24)
        footer = slide.shapes.add_textbox(margin, deck.slide_height - Emu(731520), width, Emu(548640)).text_frame
        footer.word_wrap = True
        footer.text = f"{labels['source']}{meta['Source']} {labels['licence']}{licence}"
        for run in footer.paragraphs[0].runs:
            run.font.size = Pt(10)
        w, h = Emu(round((right - left) * scale * EMU_PER_PT)), Emu(round((lower - upper) * scale * EMU_PER_PT))
        picture = slide.shapes.add_picture(io.BytesIO(png), margin + (width - w) // 2, top, w, h)
        picture.crop_left, picture.crop_right = left / full_w, (full_w - right) / full_w
        picture.crop_top, picture.crop_bottom = upper / full_h, (full_h - lower) / full_h
        picture._element.nvPicPr.cNvPr.set("descr", alt + part)
        picture.name = meta["Identifier"] + part
        notes = slide.notes_slide.notes_text_frame
        notes.text = labels["cite"] + meta["Citation"]
        for frame in (title, footer, notes):
            for paragraph in frame.paragraphs:
                for run in paragraph.runs:
                    run.font.language_id = language
    buffer = io.BytesIO()
    deck.save(buffer)
    return _reproducible(buffer.getvalue())
