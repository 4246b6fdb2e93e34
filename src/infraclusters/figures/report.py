"""A figure ready for a report: a Word document and a PowerPoint slide, each carrying its citation.

The ``.docx`` holds the figure (alt text set on the image), a caption
numbered by Word itself ("Figure" SEQ field, so it takes its place in the
reader's report), the source line, the licence and the citation; the
``.pptx`` is one 16:9 slide with the title, the figure (alt text set), a
source footer, and the citation in the speaker notes. Both are written
byte for byte the same on every run (fixed dates inside, fixed zip times).
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from ..archives import reproducible_zip
from ..edition import Edition

#: The date written inside the documents: the Office formats require one, and a fixed one keeps them reproducible.
FIXED_DATE = datetime(2024, 1, 1, tzinfo=UTC)


def _labels(ed: Edition) -> dict[str, str]:
    if ed.is_chinese:
        return {"figure": "图", "source": "来源：", "licence": "许可：", "cite": "引用："}
    return {"figure": "Figure", "source": "Source: ", "licence": "Licence: ", "cite": "Cite as: "}


def _reproducible(data: bytes) -> bytes:
    """The same Office file with every zip entry dated 1980-01-01 (python-docx and -pptx stamp the time of saving)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return reproducible_zip((item.filename, source.read(item.filename)) for item in source.infolist())


def _core(properties, meta: dict[str, str]) -> None:
    properties.title = meta["Title"][:255]
    properties.subject = meta["Description"][:255]
    properties.identifier = meta["Identifier"]
    properties.comments = meta["Citation"][:255]  # the core properties hold 255 characters; the body holds it whole
    properties.author = "infraclusters"
    properties.last_modified_by = "infraclusters"
    properties.created = properties.modified = FIXED_DATE.replace(tzinfo=None)
    properties.revision = 1


def docx(png: bytes, meta: dict[str, str], alt: str, ed: Edition) -> bytes:
    """The figure as a Word document: image with alt text, numbered caption, source, licence, citation."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    labels = _labels(ed)
    document = Document()
    _core(document.core_properties, meta)
    document.add_picture(io.BytesIO(png), width=Cm(16))
    picture = document.inline_shapes[-1]
    picture._inline.docPr.set("descr", alt)
    picture._inline.docPr.set("title", meta["Title"][:255])
    caption = document.add_paragraph(style="Caption")
    caption.add_run(labels["figure"] + ("" if ed.is_chinese else " "))
    number = OxmlElement("w:fldSimple")  # Word numbers the figure in the reader's report
    number.set(qn("w:instr"), r" SEQ Figure \* ARABIC ")
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


def pptx(png: bytes, meta: dict[str, str], alt: str, ed: Edition) -> bytes:
    """The figure as one 16:9 slide: title, image (alt text set), source footer, citation in the notes."""
    from PIL import Image
    from pptx import Presentation
    from pptx.util import Emu, Pt

    labels = _labels(ed)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in
    _core(deck.core_properties, meta)
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    margin = Emu(457200)
    width = deck.slide_width - 2 * margin
    title = slide.shapes.add_textbox(margin, Emu(228600), width, Emu(685800)).text_frame
    title.word_wrap = True
    title.text = meta["Title"]
    title.paragraphs[0].runs[0].font.size = Pt(24)
    footer = slide.shapes.add_textbox(margin, deck.slide_height - Emu(777240), width, Emu(548640)).text_frame
    footer.word_wrap = True
    licence = meta["Copyright"].replace(ed.t("Cite as below."), "").strip()  # on a slide, the citation is in the notes
    footer.text = f"{labels['source']}{meta['Source']} {labels['licence']}{licence}"
    for run in footer.paragraphs[0].runs:
        run.font.size = Pt(10)
    top, bottom = Emu(1005840), deck.slide_height - Emu(822960)
    with Image.open(io.BytesIO(png)) as image:
        ratio = image.width / image.height
    box_w, box_h = width, bottom - top
    w, h = (box_w, int(box_w / ratio)) if box_w / ratio <= box_h else (int(box_h * ratio), box_h)
    picture = slide.shapes.add_picture(io.BytesIO(png), margin + (box_w - w) // 2, top, Emu(w), Emu(h))
    picture._element.nvPicPr.cNvPr.set("descr", alt)
    picture.name = meta["Identifier"]
    slide.notes_slide.notes_text_frame.text = labels["cite"] + meta["Citation"]
    buffer = io.BytesIO()
    deck.save(buffer)
    return _reproducible(buffer.getvalue())
