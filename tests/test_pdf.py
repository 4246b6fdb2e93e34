"""The PDF edition: built with one command, Chinese as glyphs, figures and their captions, outline, pages."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata

import pypdf
import pytest
from browser import chromium_path
from conftest import ROOT, need

from infraclusters import figures

pytestmark = pytest.mark.slow  # see the tiers in conftest.py


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


def test_the_bookmarks_nest_each_rubric_under_its_chapter_and_join_no_words(book_pdf):
    """The outline is a tree: a figure of the gallery, a table of the data dictionary, a section of the ledger sit
    under their page, not beside the chapters; the theme's own print header (a second title and contents) is
    gone, and no bookmark glues two words where its heading wrapped."""

    def tree(items, parent="", found=None):
        found = {} if found is None else found
        last = parent
        for item in items:
            if isinstance(item, list):
                tree(item, last, found)
            else:
                last = item.title
                found.setdefault(last, parent)
        return found

    parents = tree(book_pdf.outline)
    assert parents["Figure 1.1"] == "Figure gallery"
    assert parents["National panel: official counts of national major S&T infrastructure"] == "The data"
    assert parents["§1.1"] == "Claims ledger"
    titles = list(parents)
    assert titles[0].startswith("Contents"), titles[:3]  # the title page is no bookmark; the contents come first
    assert sum(t.lower().startswith("innovation infrastructure clusters") for t in titles) == 1
    assert not [t for t in titles if "Industriesof" in t]


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


# --- contents with page numbers, outline fonts, nothing past the margins -----------------------------


def _bookmarks(reader) -> list[tuple[str, int]]:
    import io

    from infraclusters.book.pdf import bookmark_pages

    buffer = io.BytesIO()
    pypdf.PdfWriter(clone_from=reader).write(buffer)
    return bookmark_pages(buffer.getvalue())


def test_the_contents_give_the_page_each_section_starts_on(book_pdf):
    """Every entry of the contents ends with a page number, the one its heading's bookmark opens."""
    first = book_pdf.pages[1].extract_text().splitlines()
    assert first[0].startswith("Contents")
    body_starts = int(re.search(r"(\d+)$", first[1]).group(1))
    lines = []
    for page in book_pdf.pages[1 : body_starts - 1]:
        lines += [line for line in page.extract_text().splitlines() if not re.fullmatch(r"\d+ / \d+", line.strip())]
    entries = [line for line in lines if not line.startswith("Contents")]
    assert len(entries) >= 20  # the chapters and appendices, not every figure and table of them
    assert not [line for line in entries if re.match(r"Figure \d|§\d", line)], "rubrics stay out of the contents"
    unnumbered = [line for line in entries if not re.search(r"\s\d+$", line)]
    assert unnumbered == []
    bookmarks, start, checked = _bookmarks(book_pdf), 0, 0
    for line in entries:
        title, number = re.match(r"(.*?)\s+(\d+)$", line).groups()
        plain = "".join(unicodedata.normalize("NFKC", title).split())  # the text layer may hold the ligature ﬁ
        position = next(i for i in range(start, len(bookmarks)) if bookmarks[i][0] == plain)
        assert bookmarks[position][1] == int(number), (line, bookmarks[position])
        start, checked = position + 1, checked + 1
    assert checked == len(entries)
    pages = [int(re.search(r"(\d+)$", line).group(1)) for line in entries]
    assert pages == sorted(pages) and pages[0] == body_starts


def test_no_font_is_a_type_3_picture_and_chinese_is_set_in_an_embedded_truetype_face(book_pdf):
    fonts = _fonts(book_pdf)
    assert not [name for name in fonts if name.startswith("/Type3")], fonts
    assert any("InfraCJK" in name or "NotoSansCJK" in name for name in fonts), fonts
    embedded = set()
    for page in book_pdf.pages:
        for font in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts") or []:
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and "/FontFile2" in descriptor.get_object():
                    embedded.add(str(font.get("/BaseFont")))
    assert any("CJK" in name for name in embedded), embedded


def inked_side_margins(pdf: bytes, margin_mm: float = 10) -> list[int]:
    """The pages (from 1) that, drawn as images at 50 dpi, have ink within ``margin_mm`` of the left or right edge."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    inked = []
    for number in range(len(document)):
        image = document[number].render(scale=50 / 72).to_pil().convert("L")
        width, height = image.size
        band = round(margin_mm / 25.4 * 50)
        if any(
            image.crop(box).getextrema()[0] < 200 for box in ((0, 0, band, height), (width - band, 0, width, height))
        ):
            inked.append(number + 1)
    return inked


def test_nothing_is_printed_past_the_side_margins(book_pdf):
    """Every page as an image: no ink within 10 mm of the left or right edge (the margins are 16 mm)."""
    import io

    buffer = io.BytesIO()
    pypdf.PdfWriter(clone_from=book_pdf).write(buffer)
    assert inked_side_margins(buffer.getvalue()) == []


@pytest.mark.unit
def test_the_margin_check_sees_a_mark_at_the_edge():
    import io

    from PIL import Image, ImageDraw

    pages = [Image.new("RGB", (595, 842), "white") for _ in range(3)]
    ImageDraw.Draw(pages[1]).rectangle((585, 400, 594, 420), fill="black")  # 1 mm from the right edge
    ImageDraw.Draw(pages[2]).text((120, 400), "inside the margins", fill="black")
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=72, save_all=True, append_images=pages[1:])
    assert inked_side_margins(buffer.getvalue()) == [2]


@pytest.mark.unit
def test_contents_numbers_follow_the_bookmarks_in_reading_order_and_never_guess():
    from infraclusters.book.pdf import contents_numbers

    bookmarks = [("Introduction", 3), ("Notes", 4), ("Cases", 7), ("Notes", 9)]
    assert contents_numbers(["Introduction", "Cases", "Notes", "Missing #"], bookmarks) == ["3", "7", "9", ""]


@pytest.mark.unit
def test_the_print_font_is_cut_to_the_characters_and_has_truetype_outlines(tmp_path):
    from fontTools.ttLib import TTFont

    from infraclusters.book import print_fonts

    need(shutil.which("fc-match") is not None, "fontconfig is not installed")
    source, index = print_fonts.system_face("Regular")
    out = print_fonts.truetype_subset(source, index, "死亡谷中试基地ABC", tmp_path / "face.ttf")
    font = TTFont(out)
    assert "glyf" in font and "CFF " not in font and font.sfntVersion == "\x00\x01\x00\x00"
    assert {chr(code) for code in font.getBestCmap()} >= set("死亡谷中试基地")
    assert "集" not in {chr(code) for code in font.getBestCmap()}
    assert font["glyf"][font.getBestCmap()[ord("死")]].numberOfContours > 0


#: The print margins (mm) above and below the text area (see book.pdf's @page).
TOP_MM, BOTTOM_MM = 18, 20


def split_pictures(pdf: bytes) -> list[int]:
    """The pages (from 1) where a picture runs past the top or bottom of the text area: a figure cut at a page break
    (Chromium draws the whole picture on both pages and clips it, so its bounds cross the page's edge)."""
    import pypdfium2
    import pypdfium2.raw as raw

    document, split = pypdfium2.PdfDocument(pdf), []
    for number, page in enumerate(document):
        height = page.get_size()[1]
        low, high = BOTTOM_MM / 25.4 * 72 - 2, height - TOP_MM / 25.4 * 72 + 2
        for picture in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=5):
            _, bottom, _, top = picture.get_bounds()
            if bottom < low or top > high:
                split.append(number + 1)
                break
    return split


def _pdf_bytes(reader) -> bytes:
    import io

    buffer = io.BytesIO()
    pypdf.PdfWriter(clone_from=reader).write(buffer)
    return buffer.getvalue()


def test_no_figure_is_cut_at_a_page_break(book_pdf):
    """Every picture lies within one page's text area: a tall figure is scaled to fit, its caption beside it."""
    assert split_pictures(_pdf_bytes(book_pdf)) == []


@pytest.mark.unit
def test_the_split_check_sees_a_picture_across_the_page_edge():
    import io

    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument.new()
    for shift in (300, -200):  # inside the text area; then running 200 pt below the page's bottom edge
        page = document.new_page(595, 842)
        picture = pypdfium2.PdfImage.new(document)
        picture.set_bitmap(pypdfium2.PdfBitmap.from_pil(Image.new("RGB", (40, 40), "black")))
        picture.set_matrix(pypdfium2.PdfMatrix().scale(300, 300).translate(100, shift))
        page.insert_obj(picture)
        page.gen_content()
    buffer = io.BytesIO()
    document.save(buffer)
    assert split_pictures(buffer.getvalue()) == [2]


def test_each_chapter_and_appendix_starts_a_page(book_pdf):
    """A chapter's bookmark opens at the top of its page, not under the end of the chapter before."""
    landing = next(item for item in book_pdf.outline if isinstance(item, list))
    chapters = [item for item in landing if not isinstance(item, list)]
    first = next(i for i, item in enumerate(chapters) if item.title.startswith("1. "))
    starts = {item.title: round(float(item.top)) for item in chapters[first:]}  # the landing page's sections before
    assert len(starts) >= 18 and "Colophon" in starts, starts
    top = float(book_pdf.pages[0].mediabox.height) - TOP_MM / 25.4 * 72
    low = {title: y for title, y in starts.items() if y < top - 40}
    assert low == {}, f"chapters that start down the page (bookmark's height, page top at {top:.0f} pt): {low}"


@pytest.mark.unit
def test_the_chinese_title_page_cites_the_paper_in_chinese():
    """GB/T 7714 cites a Chinese work by its authors' names in characters: the title page of the Chinese PDF
    does as the edition's citations do, not the English edition's pinyin."""
    from infraclusters.book.pdf import title_page

    chinese = " ".join(text for _, _, text in title_page("zh_CN"))
    english = " ".join(text for _, _, text in title_page("en"))
    assert "黄庆丽" in chinese and "Huang Qingli" not in chinese
    assert "Huang Qingli" in english
    (title,) = [text for _, cls, text in title_page("zh_CN") if cls == "infra-title"]
    assert title.count("\n") == 1 and title.split("\n")[0].endswith("：")
