"""A report pack per figure: a Word document and a PowerPoint slide, opened with the libraries that wrote them."""

from __future__ import annotations

import io
import json
import re

import pytest
from conftest import compendium
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from infraclusters import figures
from infraclusters.edition import Edition
from infraclusters.figures import report
from infraclusters.figures.export import chart_rows, provenance

# The mechanism map (square), the tallest figure (the fact-check) in Chinese, and a small one that fits a slide.
CASES = [("fig-mechanism-map", "en"), ("fig-factcheck-agreement", "zh_CN"), ("fig-concept-milestones", "en")]


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
    label = "图" if ed.is_chinese else "Figure"  # counts with the captions Word itself inserts in that language
    assert [f.get(qn("w:instr")).split()[:2] for f in fields] == [["SEQ", label]], "Word numbers the figure"
    assert caption.text.endswith(fig.title) and caption.text.startswith("图" if ed.is_chinese else "Figure ")
    texts = [p.text for p in document.paragraphs]
    meta = provenance(fig)
    assert any(t.endswith(meta["Source"]) for t in texts), "the source line"
    assert any("CC BY 4.0" in t for t in texts), "the licence"
    assert any(t.endswith(citation) for t in texts) and "@0.1.0+" in citation, "the versioned citation"
    assert document.core_properties.identifier == re.search(r"fig-[a-z0-9-]+@[0-9.]+\+[0-9a-f]{7}", citation)[0]


def test_the_slides_have_title_figure_with_alt_text_source_footer_and_the_citation_in_their_notes(pack):
    stem, fig, _ed, citation = pack
    deck = Presentation(str(stem) + ".pptx")
    for k, slide in enumerate(deck.slides, start=1):
        part = (
            ""
            if len(deck.slides) == 1
            else (f"（{k}/{len(deck.slides)}）" if _ed.is_chinese else f" ({k}/{len(deck.slides)})")
        )
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1 and pictures[0]._element.nvPicPr.cNvPr.get("descr") == fig.alt + part
        for shape in slide.shapes:  # nothing runs off the slide
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= deck.slide_width and shape.top + shape.height <= deck.slide_height
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert fig.title + part in texts
        assert any(t.startswith(("Source: ", "来源：")) and "CC BY 4.0" in t for t in texts)
        assert slide.notes_slide.notes_text_frame.text.endswith(citation)


def _px(picture) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(picture.image.blob)) as image:
        return image.size


def test_no_slide_shrinks_the_figures_smallest_text_below_10_pt_and_the_slides_show_the_whole_chart(pack):
    stem, fig, ed, _ = pack
    spec = json.loads((stem.parent / f"{fig.id}.vl.json").read_text(encoding="utf-8"))
    text_px = report.smallest_text_px(spec)
    svg = (stem.parent / f"{fig.id}.svg").read_text(encoding="utf-8")
    rows = chart_rows(svg)
    deck = Presentation(str(stem) + ".pptx")
    covered = 0
    for slide in deck.slides:
        [picture] = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        width_px, height_px = _px(picture)
        shown_w = width_px * (1 - picture.crop_left - picture.crop_right)
        shown_h = height_px * (1 - picture.crop_top - picture.crop_bottom)
        points_per_css_px = picture.width / 12700 / shown_w * 2
        assert points_per_css_px * text_px >= 9.99, (fig.id, points_per_css_px * text_px)
        assert abs(picture.height / picture.width - shown_h / shown_w) < 0.01, "not stretched"
        covered += shown_w * shown_h
        assert picture.crop_top * height_px + shown_h <= rows + 1, "the footer band is the slide's own footer"
    assert abs(covered - width_px * rows) <= width_px * len(deck.slides), "every part of the chart is on a slide"


def test_the_word_page_is_a4_with_the_locales_margins_and_the_picture_fits_with_its_caption(pack):
    stem, fig, ed, _ = pack
    document = Document(str(stem) + ".docx")
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    sides = 3.18 if ed.is_chinese else 2.54
    assert round(section.left_margin.cm, 2) == round(section.right_margin.cm, 2) == sides
    [picture] = document.inline_shapes
    text_w = section.page_width - section.left_margin - section.right_margin
    text_h = section.page_height - section.top_margin - section.bottom_margin
    assert picture.width <= text_w + 1 and picture.height <= text_h - Cm(report.CAPTION_ROOM_CM) + 1
    assert max(picture.width / text_w, picture.height / (text_h - Cm(report.CAPTION_ROOM_CM))) > 0.99, "as big as fits"
    lang = (
        document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    )
    assert lang.get(qn("w:val")) == ("zh-CN" if ed.is_chinese else "en-GB") and lang.get(qn("w:eastAsia")) == "zh-CN"
    assert document.core_properties.language == lang.get(qn("w:val"))
    deck = Presentation(str(stem) + ".pptx")
    runs = [
        r
        for shape in deck.slides[0].shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        for r in p.runs
    ]
    assert {r.font.language_id.name for r in runs} == {"SIMPLIFIED_CHINESE" if ed.is_chinese else "ENGLISH_UK"}


def test_long_properties_are_cut_after_a_whole_word():
    text = "word " * 80
    cut = report.clipped(text)
    assert len(cut) <= 255 and cut.endswith("word…")
    assert report.clipped("short") == "short"
    chinese = report.clipped("汉" * 300)
    assert len(chinese) == 255 and chinese.endswith("…")


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_libreoffice_renders_the_tallest_figures_word_page_and_slides_whole(language, tmp_path):
    """The real client: LibreOffice turns the packs into PDF. The picture and its caption share page 1 (nothing cut
    at the page's foot), the slides are 16:9 and one page each, titles numbered."""
    import shutil
    import subprocess

    from pypdf import PdfReader

    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed: .ci/run installs libreoffice-writer-nogui and -impress-nogui"
    figure_id = "fig-factcheck-agreement"
    c, ed = compendium(), Edition(language)
    figures.export(figure_id, tmp_path, c, ed)
    for suffix in ("docx", "pptx"):
        out = tmp_path / suffix
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                str(tmp_path / f"{figure_id}.{suffix}"),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    title = figures.get(figure_id, c, ed).title
    page = PdfReader(tmp_path / "docx" / f"{figure_id}.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842), "A4"
    first = page.extract_text()
    label = "图 1" if ed.is_chinese else "Figure 1"
    assert label in first and title[:8] in first, "the caption is on the picture's page"
    slides = PdfReader(tmp_path / "pptx" / f"{figure_id}.pdf").pages
    deck = Presentation(str(tmp_path / f"{figure_id}.pptx"))
    assert len(slides) == len(deck.slides) > 1
    for k, slide in enumerate(slides, start=1):
        assert round(float(slide.mediabox.width) / float(slide.mediabox.height), 2) == 1.78
        assert f"{k}/{len(slides)}" in slide.extract_text()
