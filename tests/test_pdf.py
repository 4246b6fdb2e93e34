"""The PDF edition: built with one command, Chinese as glyphs, figures and their captions, outline, pages."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata

import pypdf
import pytest
from browser import chromium_path
from conftest import ROOT, need

from infraclusters import figures


@pytest.fixture(scope="module")
def book_pdf(tmp_path_factory):
    need(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    out = tmp_path_factory.mktemp("pdf") / "book.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "infraclusters", "pdf", "--out", str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return pypdf.PdfReader(out)


def text_of(reader) -> str:
    """The PDF's text, whitespace removed and NFKC-normalised: CJK fonts may map a character
    such as 谷 to its Kangxi radical look-alike (⾕) in the text layer, which NFKC undoes."""
    joined = "".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", joined))


def test_pdf_has_pages_numbers_and_bookmarks(book_pdf):
    assert len(book_pdf.pages) > 40
    assert len(book_pdf.outline) > 0
    first_footer = book_pdf.pages[0].extract_text()
    assert re.search(rf"1\s*/\s*{len(book_pdf.pages)}", first_footer)


def test_chinese_terms_render_as_text(book_pdf):
    text = text_of(book_pdf)
    for term in ("创新基础设施集群", "死亡谷", "两头重、中间轻", "依托创新基础设施集群培育未来产业的思考"):
        assert term in text, term


def test_figures_appear_with_numbers_and_captions(book_pdf, c, ed):
    text = text_of(book_pdf)
    for figure_id in ("fig-category-stage-matrix", "fig-mechanism-map", "fig-recommendation-matrix"):
        title = re.sub(r"\s+", "", figures.get(figure_id, c, ed).title_en)
        assert title in text, figure_id
    assert "Figure1.2" in text or "Figure 1.2" in text
    images = sum(len(page.images) for page in book_pdf.pages)
    assert images >= len(figures.figure_ids(c))


def test_bibliography_glossary_gallery_and_colophon_are_included(book_pdf):
    text = text_of(book_pdf)
    for heading in ("References", "Glossary", "Figuregallery", "Colophon", "Claimsledger"):
        assert heading in text, heading


def test_chinese_edition_prints_in_chinese(tmp_path):
    need(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    out = tmp_path / "book-zh.pdf"
    command = [sys.executable, "-m", "infraclusters", "pdf", "--language", "zh_CN", "--out", str(out)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    text = text_of(pypdf.PdfReader(out))
    for expected in ("目录", "作用机制", "图1.2", "三类创新基础设施与全链条各环节", "论断台账", "术语表"):
        assert expected in text, expected
    assert "Figure1.2" not in text and "Thefullchain" not in text


def _fonts(reader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            font = font.get_object()
            names.add(f"{font.get('/Subtype')}:{font.get('/BaseFont')}")
    return names


def test_a_title_page_latin_text_in_a_latin_font_and_no_screen_only_text(book_pdf):
    from infraclusters.text.citation import BOOK_VERSION

    first = re.sub(r"\s+", " ", book_pdf.pages[0].extract_text())
    assert "Innovation Infrastructure Clusters" in first and f"Version {BOOK_VERSION}" in first
    assert "依托创新基础设施集群培育未来产业的思考" in first and "CC BY 4.0" in first
    assert "Contents" in book_pdf.pages[1].extract_text()  # the contents follow the title page
    fonts = _fonts(book_pdf)
    assert any("DejaVuSans" in name for name in fonts), fonts  # Latin text set in a Latin font, embedded
    text = "".join(page.extract_text() for page in book_pdf.pages)
    assert "paper’s" in text and "paper’ s" not in text  # no full-width CJK apostrophe in English words
    for screen_only in ("Show code cell", "Hide code cell", "Re-run this chapter"):
        assert screen_only not in text, screen_only
