"""A report pack per figure: a Word document and a PowerPoint slide, opened with the libraries that wrote them."""

from __future__ import annotations

import re

import pytest
from conftest import compendium
from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from infraclusters import figures
from infraclusters.edition import Edition
from infraclusters.figures.export import provenance

CASES = [("fig-mechanism-map", "en"), ("fig-case-hefei-binhu-network", "zh_CN")]


@pytest.fixture(scope="module", params=CASES, ids=[c[1] for c in CASES])
def pack(request, tmp_path_factory):
    figure_id, language = request.param
    out = tmp_path_factory.mktemp(language)
    c, ed = compendium(), Edition(language)
    figures.export(figure_id, out, c, ed)
    fig = figures.get(figure_id, c, ed)
    citation = (out / f"{figure_id}.txt").read_text(encoding="utf-8").strip()
    return out / figure_id, fig, ed, citation


def test_the_word_document_has_the_figure_with_alt_text_a_numbered_caption_source_licence_and_citation(pack):
    stem, fig, ed, citation = pack
    document = Document(str(stem) + ".docx")
    [picture] = document.inline_shapes
    assert picture._inline.docPr.get("descr") == fig.alt
    [caption] = [p for p in document.paragraphs if p.style.name == "Caption"]
    fields = caption._p.findall(qn("w:fldSimple"))
    assert [f.get(qn("w:instr")).split()[:2] for f in fields] == [["SEQ", "Figure"]], "Word numbers the figure"
    assert caption.text.endswith(fig.title) and caption.text.startswith("图" if ed.is_chinese else "Figure ")
    texts = [p.text for p in document.paragraphs]
    meta = provenance(fig)
    assert any(t.endswith(meta["Source"]) for t in texts), "the source line"
    assert any("CC BY 4.0" in t for t in texts), "the licence"
    assert any(t.endswith(citation) for t in texts) and "@0.1.0+" in citation, "the versioned citation"
    assert document.core_properties.identifier == re.search(r"fig-[a-z0-9-]+@[0-9.]+\+[0-9a-f]{7}", citation)[0]


def test_the_slide_has_title_figure_with_alt_text_source_footer_and_the_citation_in_its_notes(pack):
    stem, fig, _ed, citation = pack
    deck = Presentation(str(stem) + ".pptx")
    [slide] = deck.slides
    pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1 and pictures[0]._element.nvPicPr.cNvPr.get("descr") == fig.alt
    for shape in slide.shapes:  # nothing runs off the slide
        assert shape.left >= 0 and shape.top >= 0
        assert shape.left + shape.width <= deck.slide_width and shape.top + shape.height <= deck.slide_height
    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    assert fig.title in texts
    assert any(t.startswith(("Source: ", "来源：")) and "CC BY 4.0" in t for t in texts)
    assert slide.notes_slide.notes_text_frame.text.endswith(citation)
