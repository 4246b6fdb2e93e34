"""Citing the book and its figures: provenance inside the files, CITATION.cff, gallery, colophon."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT, isolated_tool
from PIL import Image

from infraclusters import figures
from infraclusters.figures import versions
from infraclusters.text import citation

SVG = "{http://www.w3.org/2000/svg}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(scope="module")
def exported(tmp_path_factory, c, ed):
    out = tmp_path_factory.mktemp("provenance")
    figures.export("fig-mechanism-map", out, c, ed)
    return out


def test_png_carries_title_caption_source_and_citation(exported, c, ed):
    fig = figures.get("fig-mechanism-map", c, ed)
    text = Image.open(exported / "fig-mechanism-map.png").text
    assert text["Title"] == fig.title
    assert text["Description"] == fig.caption
    assert "data/mechanism_edges.csv" in text["Source"]
    version = versions.versioned_id(fig.id, (exported / "fig-mechanism-map.vl.json").read_text(encoding="utf-8"))
    assert text["Citation"] == citation.figure_text(version, fig.title, ed)
    assert "依托创新基础设施集群培育未来产业的思考" in text["Citation"]


def test_svg_carries_title_desc_and_dublin_core(exported, c, ed):
    fig = figures.get("fig-mechanism-map", c, ed)
    root = ET.parse(exported / "fig-mechanism-map.svg").getroot()
    assert root.find(f"{SVG}title").text == fig.title
    assert root.find(f"{SVG}desc").text == fig.caption
    description = root.find(f"{SVG}metadata").find(".//{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description")
    assert versions.parse(description.find(f"{DC}identifier").text)[0] == fig.id
    assert "CC BY 4.0" in description.find(f"{DC}rights").text


@pytest.mark.slow
def test_citation_cff_is_valid_and_is_what_the_book_cites():
    validator = isolated_tool("cffconvert==2.0.0", "cffconvert")
    result = subprocess.run(
        [str(validator), "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert citation.BOOK_TITLE in cff and f"version: {citation.BOOK_VERSION}" in cff


def test_gallery_lists_every_figure_with_thumbnail_downloads_and_citations(built_site, c):
    page = (built_site / "chapters" / "gallery.html").read_text(encoding="utf-8")
    for figure_id in figures.figure_ids(c):
        assert f"../figures/{figure_id}.thumb.png" in page, figure_id
        assert f"../figures/{figure_id}.vl.json" in page and f"../figures/{figure_id}.csv" in page
        assert f"../figures/{figure_id}.docx" in page and f"../figures/{figure_id}.pptx" in page, "the report pack"
        assert (built_site / "figures" / f"{figure_id}.thumb.png").is_file()
        assert f"infraclusters_{figure_id.replace('-', '_')}" in page  # its BibTeX key
        spec = (built_site / "figures" / f"{figure_id}.vl.json").read_text(encoding="utf-8")
        assert f"[figure {versions.versioned_id(figure_id, spec)}]" in page, "cited by version and content hash"
    assert page.count("依托创新基础设施集群培育未来产业的思考") >= len(figures.figure_ids(c))


def test_each_figure_on_its_page_shows_the_version_to_cite(built_site):
    page = (built_site / "chapters" / "mechanisms.html").read_text(encoding="utf-8")
    spec = (built_site / "figures" / "fig-mechanism-map.vl.json").read_text(encoding="utf-8")
    assert f"<code>{versions.versioned_id('fig-mechanism-map', spec)}</code>" in page


def test_colophon_names_the_commit_and_the_versions(built_site):
    page = (built_site / "chapters" / "colophon.html").read_text(encoding="utf-8")
    if not (ROOT / ".git").exists():  # a source archive: the version is all that is known
        from infraclusters.text.citation import BOOK_VERSION

        assert f"Version {BOOK_VERSION} (from CITATION.cff)" in page and "no commit is known" in page
    else:
        recorded = re.search(r"Commit: <code[^>]*><span class=\"pre\">([0-9a-f]{40})</span>", page)
        assert recorded, "the colophon records a commit"
        # The build may predate the newest commit on a developer's machine; it must name a real one.
        known = subprocess.run(["git", "cat-file", "-e", f"{recorded.group(1)}^{{commit}}"], cwd=ROOT)
        assert known.returncode == 0
    from importlib import metadata

    assert re.search(rf"altair</p></td>\s*<td><p>{re.escape(metadata.version('altair'))}</p>", page)
    assert "chapters/concepts" in page  # the execution table lists the chapters


def test_the_execution_table_says_its_status_in_words_in_each_edition(built_site):
    """MyST-NB marks a run with an emoji that the PDF's fonts and many screens draw as an empty box."""
    from conftest import ZH_SITE

    for site, words in ((built_site, ("executed", "Run Time (s)")), (ZH_SITE, ("已执行", "运行时间（秒）"))):
        page = (site / "chapters" / "colophon.html").read_text(encoding="utf-8")
        assert "✅" not in page and "❌" not in page
        table = page[page.index(words[1]) :]
        assert table.count(f"<p>{words[0]}</p>") >= 7 and words[1] in page


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_figure_has_a_stable_address_that_leads_to_it(built_site, c, language):
    """``figures/<id>.html`` does not depend on page paths: it sends the reader to the figure, and cites it."""
    from conftest import ZH_SITE

    site = built_site if language == "en" else ZH_SITE
    for figure_id in figures.figure_ids(c):
        page = (site / "figures" / f"{figure_id}.html").read_text(encoding="utf-8")
        target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page).group(1)
        path, anchor = target.split("#")
        assert anchor == figure_id
        assert f'id="{figure_id}"' in ((site / "figures" / path).resolve()).read_text(encoding="utf-8"), target
        assert f"{figure_id}@" in page and "<script" not in page


def test_the_gallery_lists_figures_in_the_order_a_reader_meets_them_and_appendix_figures_are_lettered(built_site):
    from conftest import ZH_SITE

    for site, word in ((built_site, "Figure"), (ZH_SITE, "图")):
        page = (site / "chapters" / "gallery.html").read_text(encoding="utf-8")
        numbers = re.findall(
            rf'<h2 class="rubric"[^>]*><a [^>]*><span class="std std-numref">{word}\s*([A\d][\d.]*)<', page
        )
        assert len(numbers) >= 24, site
        keys = [tuple(int(part) if part.isdigit() else -1 for part in n.split(".")) for n in numbers]
        chapters, appendix = [k for k in keys if k[0] != -1], [k for k in keys if k[0] == -1]
        assert chapters == sorted(chapters) and appendix and keys == chapters + appendix, numbers
        factcheck = (site / "chapters" / "factcheck.html").read_text(encoding="utf-8")
        assert re.search(rf"{word}\s*A\.1", factcheck) and not re.search(rf"{word}\s*1(?![.\d])", factcheck)


def test_the_landing_pages_findings_are_counted_from_the_data_and_can_go_against_the_paper(data_copy):
    """The headline numbers follow the data: a public source that contradicts a check, or a science city
    with no documented actor at one stage, changes what the landing page says."""
    import csv

    from conftest import compendium, contradict

    from infraclusters.book.directives import headlines_markdown
    from infraclusters.edition import Edition

    def said(data_dir=None, language="en"):
        c = compendium(data_dir) if data_dir else compendium()
        return headlines_markdown(c, Edition(language), "fig-mechanism-map", "../", "mechanisms.html")

    book = said()
    assert "and disagrees in 0;" in book and "(1 on the evidence alone" in book
    assert "3 of the 3 cover the whole chain as read" in book, "what the book's readings add is said beside it"
    # the landing page tells the argument, the mechanisms and recommendations before the counts
    order = ["The paper's argument", "mechanisms (§2)", "recommendations (§4)", "两头重、中间轻", "public pages."]
    assert [book.index(part) for part in order] == sorted(book.index(part) for part in order)
    assert 'src="../figures/fig-mechanism-map.png"' in book and 'href="mechanisms.html#fig-mechanism-map"' in book
    contradict(data_copy, "FC-01")
    hefei = set(compendium().cluster("hefei_binhu").roles["entity_id"])
    path = data_copy / "roles.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    kept = [r for r in rows if not (r["stage_id"] == "applied_basic_research" and r["entity_id"] in hefei)]
    assert len(kept) < len(rows)  # Hefei had actors at that stage, and has none now
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    changed = said(data_copy)
    assert "and disagrees in 1;" in changed and "(0 on the evidence alone" in changed
    assert "2 of the 3 cover the whole chain as read" in changed
    assert "不一致的 1 项" in said(data_copy, "zh_CN")


# A citation a reader can look up, in the forms reference managers read.

CSL_TYPES = {  # CSL 1.0.2's item types
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast", "chapter",
    "classic", "collection", "dataset", "document", "entry", "entry-dictionary", "entry-encyclopedia", "event",
    "figure", "graphic", "hearing", "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical", "personal_communication",
    "post", "post-weblog", "regulation", "report", "review", "review-book", "software", "song", "speech", "standard",
    "thesis", "treaty", "webpage",
}  # fmt: skip


@pytest.fixture(scope="module")
def numbered(tmp_path_factory, c):
    from infraclusters.edition import Edition

    out = tmp_path_factory.mktemp("numbered")
    for language in ("en", "zh_CN"):
        figures.export("fig-mechanism-map", out / language, c, Edition(language), number="2.1")
    return out


def test_each_figures_citation_gives_its_number_in_the_book(numbered):
    english = (numbered / "en" / "fig-mechanism-map.txt").read_text(encoding="utf-8")
    chinese = (numbered / "zh_CN" / "fig-mechanism-map.txt").read_text(encoding="utf-8")
    assert ", Figure 2.1 [figure fig-mechanism-map@" in english
    assert chinese.startswith("infraclusters contributors. 图 2.1 ") and "［图 fig-mechanism-map@" in chinese
    with Image.open(numbered / "en" / "fig-mechanism-map.png") as image:
        assert "Figure 2.1" in image.text["Citation"]


def test_the_chinese_citation_is_gb_t_7714(numbered):
    text = (numbered / "zh_CN" / "fig-mechanism-map.txt").read_text(encoding="utf-8")
    assert "[EB]//infraclusters contributors. " in text, "a part of an electronic resource, GB/T 7714-2015 §8.8"
    assert f"版本 {citation.BOOK_VERSION}. ({citation.BOOK_DATE})" in text
    assert text.strip().endswith(
        "黄庆丽, 赵紫薇, 王灿, 等. 依托创新基础设施集群培育未来产业的思考[J]. 中国科学院院刊, 2024."
    )


def test_the_bibtex_renders_in_a_bibtex_style_without_raw_commands_or_mangled_titles(numbered):
    """pybtex (what Sphinx's bibliography uses) formats every entry in the plain style."""
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    for language in ("en", "zh_CN"):
        bib = (numbered / language / "fig-mechanism-map.bib").read_text(encoding="utf-8")
        assert "\\cite" not in bib
        data = parse_string(bib, "bibtex")
        style = find_plugin("pybtex.style.formatting", "plain")()
        rendered = [entry.text.render_as("text") for entry in style.format_entries(data.entries.values())]
        assert len(rendered) == 3
        book = next(r for r in rendered if "executable compendium" in r)
        assert "Huang et al. (2024)" in book and "Et Al" not in book
        assert data.entries["infraclusters_book"].type == "misc"


def test_ris_and_csl_json_carry_the_figure_the_book_and_the_paper(numbered):
    import json

    ris = (numbered / "en" / "fig-mechanism-map.ris").read_text(encoding="utf-8")
    records = [r for r in ris.split("ER  - ") if r.strip()]
    assert len(records) == 2 and records[0].lstrip().startswith("TY  - FIGURE") and "TY  - JOUR" in records[1]
    assert "SE  - Figure 2.1" in ris and "AU  - Huang, Qingli" in ris and "JO  - 中国科学院院刊" in ris
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in ris.splitlines() if line.strip())
    items = json.loads((numbered / "zh_CN" / "fig-mechanism-map.csl.json").read_text(encoding="utf-8"))
    assert [i["type"] for i in items] == ["figure", "software", "article-journal"]
    assert all(i["type"] in CSL_TYPES and i["title"] and i["issued"]["date-parts"][0][0] for i in items)
    assert items[0]["number"] == "2.1" and items[0]["language"] == "zh-CN"


def test_once_the_book_has_an_address_and_a_doi_every_citation_carries_them(monkeypatch):
    from infraclusters.edition import Edition

    monkeypatch.setattr(citation, "BOOK_URL", "https://example.org/infraclusters/")
    monkeypatch.setattr(citation, "BOOK_DOI", "10.5281/zenodo.0000000")
    version = "fig-mechanism-map@0.1.0+1234567"
    for ed in (Edition("en"), Edition("zh_CN")):
        where = (
            "https://example.org/infraclusters"
            + ("/zh_CN" if ed.is_chinese else "")
            + "/figures/fig-mechanism-map.html"
        )
        text = citation.figure_text(version, "T", ed, number="2.1")
        assert where in text and "https://doi.org/10.5281/zenodo.0000000" in text
        assert ("[EB/OL]" in text) == ed.is_chinese
        assert f"url = {{{where}}}" in citation.figure_bibtex(version, "T", ed, number="2.1")
        assert f"UR  - {where}" in citation.figure_ris(version, "T", ed, number="2.1")
        assert f'"URL": "{where}"' in citation.figure_csl(version, "T", ed, number="2.1")
    assert "https://example.org/infraclusters/" in citation.book_bibtex()


def test_without_an_address_no_citation_invents_one():
    from infraclusters.edition import Edition

    assert citation.BOOK_URL == "" or citation.BOOK_URL.startswith("https://")
    if not citation.BOOK_URL:
        text = citation.figure_text("fig-x@0.1.0+1234567", "T", Edition("zh_CN"))
        assert "http" not in text.split("所复现论文")[0] and "[EB]" in text


def test_the_book_numbers_its_figures_as_its_downloads_cite_them(built_site):
    """The numbers the downloads give are the ones Sphinx prints under each figure, in both editions."""
    from conftest import ZH_SITE

    from infraclusters.book.numbering import figure_numbers

    numbers = figure_numbers(ROOT)
    assert numbers["fig-mechanism-map"] == "2.1" and numbers["fig-factcheck-agreement"].startswith("A.")
    for site, word in ((built_site, "Figure"), (ZH_SITE, "图")):
        for figure_id, number in numbers.items():
            page = (site / "figures" / f"{figure_id}.html").read_text(encoding="utf-8")
            target = re.search(r'url=([^"]+)"', page).group(1).split("#")[0]
            html = ((site / "figures" / target).resolve()).read_text(encoding="utf-8")
            found = re.search(rf'id="{figure_id}".*?<span class="caption-number">{word}\s*([A\d][\d.]*)', html, re.S)
            assert found and found.group(1) == number, (site.name, figure_id, found and found.group(1), number)
        text = (site / "figures" / "fig-mechanism-map.txt").read_text(encoding="utf-8")
        assert f"{word} 2.1" in text


def test_every_page_carries_citation_metadata_for_reference_managers(built_site):
    from conftest import ZH_SITE

    for site, language in ((built_site, "en"), (ZH_SITE, "zh")):
        page = (site / "chapters" / "mechanisms.html").read_text(encoding="utf-8")
        meta = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)"', page))
        assert meta["citation_author"] == citation.BOOK_AUTHOR
        assert meta["citation_publication_date"] == citation.BOOK_DATE.replace("-", "/")
        assert meta["citation_language"] == language and meta["citation_inbook_title"]
        assert meta["citation_title"] and "<" not in meta["citation_title"]


@pytest.mark.unit
def test_a_bibliography_note_reads_in_chinese_or_is_marked_as_the_original():
    """The Chinese bibliography gives a note's recurring phrases in Chinese; an English sentence left in it is
    marked 〔原文〕, never passed off as translated."""
    from infraclusters.book.citation_style import chinese_note
    from infraclusters.edition import ORIGINAL

    assert chinese_note("title supplied by this book from the page's content") == "标题由本书依据页面内容拟定"
    assert chinese_note("date from URL path; undated") == "日期取自网址路径; 未注明日期"
    assert chinese_note("Cited as ref. [7] in huang2024.") == "论文参考文献[7]。"
    english = "Pudong New Area government English site, source chinadaily.com.cn"
    assert chinese_note(english) == ORIGINAL + english


def test_the_chinese_bibliography_has_no_unmarked_english_note(built_site):
    """Every note of the Chinese edition's references is Chinese (a note_zh, or its phrases translated) or says it
    is the original (〔原文〕); the English edition keeps its English notes."""
    import html as entities

    from conftest import ZH_SITE

    def entries(site):
        page = (site / "chapters" / "bibliography.html").read_text(encoding="utf-8")
        items = re.findall(r'<div class="citation"[^>]*>(.*?)</div>', page, re.S)
        return [entities.unescape(re.sub(r"<[^>]+>", "", item)) for item in items]

    chinese, english = entries(ZH_SITE), entries(built_site)
    assert len(chinese) >= 300 and len(chinese) == len(english)
    supplied = "title supplied by this book from the page's content"
    assert sum(supplied in e for e in english) >= 100 and not [e for e in chinese if supplied in e]
    assert any("标题由本书依据页面内容拟定" in e for e in chinese)
    unmarked = [e[:120] for e in chinese if "〔原文〕" not in e and re.search(r"\bmirror of\b|\bofficial website\b", e)]
    assert unmarked == [], unmarked[:5]


def test_citation_labels_in_the_chinese_edition_read_as_chinese_ones_do(built_site):
    """The Chinese edition's labels: a work without a year is 无日期 (n.d. in English); two Chinese authors are
    joined by 、, never "and"; BibTeX's "and others" is 等 or et al. in both editions. Its bibliography lists
    names with commas (GB/T 7714), not "and"."""
    from conftest import ZH_SITE

    def text(site, page):  # what a reader reads: not the charts' data in their scripts
        html = re.sub(r"<script.*?</script>", "", (site / "chapters" / page).read_text(encoding="utf-8"), flags=re.S)
        return re.sub(r"<[^>]+>", "", html)

    zh, en = text(ZH_SITE, "factcheck.html"), text(built_site, "factcheck.html")
    assert ", 无日期]" in zh and ", n.d.]" not in zh and ", n.d.]" in en
    han = r"[\u3400-\u9fff]"
    for site, page in [(s, p) for s in (ZH_SITE, built_site) for p in ("factcheck.html", "concepts.html")] + [
        (ZH_SITE, "bibliography.html")  # the English bibliography lists names in English: "李应松 and 徐文华"
    ]:
        assert not re.search(rf"{han}+ and {han}+", text(site, page)), (site, page)
        assert "and others" not in text(site, page), (site, page)
    assert "李应松, 徐文华" in text(ZH_SITE, "bibliography.html")


def test_the_chinese_search_box_speaks_chinese(built_site):
    from conftest import ZH_SITE

    from infraclusters.book.hooks import SEARCH_ZH

    zh = (ZH_SITE / "chapters" / "concepts.html").read_text(encoding="utf-8")
    en = (built_site / "chapters" / "concepts.html").read_text(encoding="utf-8")
    assert f'placeholder="{SEARCH_ZH}"' in zh and "Search this book" not in zh
    assert "toggleHintShow = '点击展开'" in zh and "Click to show" not in zh  # a folded box's hint
    assert "toggleHintShow = 'Click to show'" in en
    assert 'placeholder="Search this book..."' in en
