"""The two editions side by side: every page links to its twin, the Chinese one is Chinese and searchable."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import ZH_SITE


def _pages(site):
    """The edition's pages, without sources, static files, the other edition and the root's redirect."""
    skip = {"_sources", "_static", "zh_CN", "figures"}
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not skip & set(p.relative_to(site).parts)
        and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:200]
    )


def _switch(html: str) -> str | None:
    """The visible link to the other edition; Sphinx's index and search pages carry it in their head."""
    match = re.search(r'<p class="infra-edition-switch"><a href="([^"]+)"', html)
    alternate = re.search(r'<link rel="alternate" hreflang="[^"]+" href="([^"]+)">', html)
    if match:
        assert alternate and alternate.group(1) == match.group(1)
        return match.group(1)
    if re.search(r'<body[^>]*>.*?(?:id="search-results"|genindex)', html, flags=re.S) and alternate:
        return alternate.group(1)
    return None


def test_every_page_links_to_the_same_page_in_the_other_edition(built_site):
    english, chinese = _pages(built_site), _pages(ZH_SITE)
    assert english == chinese, "the editions have different pages"
    for site, other in ((built_site, ZH_SITE), (ZH_SITE, built_site)):
        for page in english:
            target = _switch((site / page).read_text(encoding="utf-8"))
            assert target, f"{site / page}: no link to the other edition"
            resolved = ((site / page).parent / target).resolve()
            assert resolved == (other / page).resolve(), f"{site / page} links to {resolved}, not its twin"


class _Text(HTMLParser):
    """The visible prose of a page's article: no scripts, styles, code or the paper's references."""

    SKIP = {"script", "style", "code", "pre", "svg", "math"}

    def __init__(self):
        super().__init__()
        self.depth, self.inside, self.parts = 0, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.inside += 1
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "article":
            self.inside -= 1
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.inside and not self.depth:
            self.parts.append(data)


@pytest.mark.parametrize(
    "page", ["chapters/concepts.html", "chapters/mechanisms.html", "chapters/recommendations.html"]
)
def test_chinese_chapter_prose_is_chinese(built_site, page):
    html = (ZH_SITE / page).read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in html or 'lang="zh_CN"' in html
    if "infra-figure" in html:
        assert 'caption-number">图 ' in html and 'caption-number">Figure' not in html
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin_words = re.findall(r"\b[A-Za-z]{4,}\b", text)
    assert han > 20 * len(latin_words), f"{page}: too much English left: {latin_words[:40]}"
    english = (built_site / page).read_text(encoding="utf-8")
    for sentence in ("The paper's premise", "The five mechanisms", "What this chapter does not claim"):
        if sentence in english:
            assert sentence not in html, f"{page}: untranslated: {sentence!r}"


def test_chinese_search_index_holds_segmented_chinese_words(built_site):
    import json

    index = (ZH_SITE / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(index[index.index("(") + 1 : index.rindex(")")])["terms"]
    for word in ("基础设施", "集群", "创新", "中试"):  # words jieba cuts out of the running text
        assert word in terms, f"{word} is not a search term (is jieba installed?)"
    assert "创新基础设施集群培育未来产业" not in terms, "Chinese text indexed unsegmented"


def test_chinese_figure_exports_are_drawn_in_chinese(built_site):
    svg = (ZH_SITE / "figures" / "fig-category-stage-matrix.svg").read_text(encoding="utf-8")
    assert "三类创新基础设施与全链条各环节" in svg
    assert "Chain stage" not in svg and "Which infrastructure serves" not in svg
    english = (built_site / "figures" / "fig-category-stage-matrix.svg").read_text(encoding="utf-8")
    assert "Which infrastructure serves" in english
    assert (ZH_SITE / "figures" / "fig-category-stage-matrix.png").stat().st_size > 10_000


def test_the_chinese_editions_code_comments_are_chinese(built_site):
    page = (ZH_SITE / "chapters" / "concepts.html").read_text(encoding="utf-8")
    assert "# None：使用本书 data/ 中的数据" in page
    assert "# None: the book data in data/" not in page
    english = (built_site / "chapters" / "concepts.html").read_text(encoding="utf-8")
    assert "# None: the book data in data/" in english


def test_the_chinese_code_toggle_says_code(built_site):
    """The toggle over a folded code cell said 显示输出 ("show output") in the Chinese edition."""
    page = (ZH_SITE / "chapters" / "mechanisms.html").read_text(encoding="utf-8")
    assert "显示代码" in page and "显示输出" not in page


def test_the_chinese_edition_cites_the_chinese_paper_by_its_authors_names_and_reads_in_chinese(built_site):
    """GB/T 7714: a Chinese work is cited by its authors' names in characters (黄庆丽等), an English one keeps
    "et al."; the bibliography says when a page was read in Chinese, not "visited on"."""
    from conftest import ZH_SITE

    english = (built_site / "chapters" / "index.html").read_text(encoding="utf-8")
    chinese = (ZH_SITE / "chapters" / "index.html").read_text(encoding="utf-8")
    assert "Huang <em>et al.</em>, 2024" in english and "黄庆丽等, 2024" not in english
    assert "黄庆丽等, 2024" in chinese and "Huang <em>et al.</em>, 2024" not in chinese
    bibliography = (ZH_SITE / "chapters" / "bibliography.html").read_text(encoding="utf-8")
    assert "visited on" not in bibliography and "（访问日期：" in bibliography
    assert "visited on" in (built_site / "chapters" / "bibliography.html").read_text(encoding="utf-8")
