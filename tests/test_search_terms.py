"""Search finds the paper's terms: every glossary term, in both editions, finds the pages that use it.

jieba gets the glossary as a user dictionary (see :mod:`infraclusters.book.search`):
the unit tests check the dictionary and the splitters, the book tests the built
search indexes (every term, both editions) and the search page in Chromium.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import chromium_path, offline_page, serve
from conftest import DATA, ZH_SITE, need

from infraclusters.book import search

GLOSSARY = list(csv.DictReader((DATA / "glossary.csv").open(encoding="utf-8")))
#: Every term the search must find: the Chinese term and its English rendering.
TERMS = [row["term_zh"] for row in GLOSSARY] + [row["term_en"] for row in GLOSSARY]
#: Sphinx's English stop words, which the search page leaves out of a query.
STOPWORDS = set(
    "a and are as at be but by for if in into is it near no not of on or such that the their then there these "
    "they this to was will with".split()
)


# --- the dictionary and the splitters (unit) ---------------------------------------------------------


def test_dictionary_keeps_every_glossary_term_whole(tmp_path):
    import jieba

    path = search.write_dictionary([row["term_zh"] for row in GLOSSARY], tmp_path / "dict.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert all(re.fullmatch(rf"\S+ {search.FREQUENCY}", line) for line in lines), lines
    words = search.read_dictionary(str(path))
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(path))
    for row in GLOSSARY:
        parts = re.findall(r"\w+", row["term_zh"])  # as the search box cuts the query
        assert parts and all(part in words for part in parts), f"{row['term_zh']} is not in the dictionary"
        for part in parts:
            assert list(tokenizer.cut(part)) == [part], f"jieba cuts {part}"


def test_dictionary_cleans_hostile_terms(tmp_path):
    hostile = [
        "死亡谷\n的 99999999",  # a second line with a frequency of its own
        "中试 基地 5 n",  # a space, then what jieba would read as a frequency and a tag
        "  未来产业\t\r\n",
        "\ufeff底座",
        "两头重、中间轻",
        "“热带雨林”式的创新生态",
        "死亡\u200b谷",  # an invisible character inside a term
        "的",  # one character: jieba cuts it alone anyway
        "valley of death",  # no Han: the English search indexes it
        "长" * (search.MAX_LENGTH + 1),
        None,
        float("nan"),
        42,
        "死亡谷",  # twice
    ]
    path = search.write_dictionary(hostile, tmp_path / "dict.txt")
    text = path.read_text(encoding="utf-8")
    expected = ["死亡谷", "中试", "基地", "未来产业", "底座", "两头重", "中间轻", "热带雨林", "式的创新生态", "死亡"]
    assert text == "".join(f"{word} {search.FREQUENCY}\n" for word in expected)
    assert search.read_dictionary(str(path)) == expected


@pytest.fixture(scope="module")
def options(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / search.DICTIONARY
    search.write_dictionary([row["term_zh"] for row in GLOSSARY], path)
    return search.options({"other": "kept"}, path)


def test_options_name_the_dictionary_absolutely_and_change_with_it(options, tmp_path):
    assert Path(options[search.OPTION]).is_absolute() and Path(options[search.OPTION]).is_file()
    assert options["other"] == "kept"
    other = search.write_dictionary(["死亡谷"], tmp_path / "dict.txt")
    assert search.options({}, other)[search.DIGEST_OPTION] != options[search.DIGEST_OPTION]


def test_english_search_cuts_han_text_into_the_glossarys_terms(options):
    english = search.EnglishSearch(options)
    words = english.split("its “valley of death” (俗称“死亡谷”即科技成果) and 中试基地则可以加速创新基础设施集群")
    for word in ("valley", "death", "死亡谷", "科技成果", "中试基地", "创新基础设施集群", "创新基础设施"):
        assert word in words, f"{word} not in {words}"
    assert "的" not in english.split("创新的基础"), "single Han characters are no search words"


def test_chinese_search_stems_english_as_the_search_page_does(options):
    chinese = search.ChineseSearch(options)
    assert chinese.stem("valley") == "vallei"  # the search page's Porter stemmer; Snowball's english says valley
    words = chinese.split("未来产业领跑企业与两头重、中间轻")
    assert {"未来产业领跑企业", "未来产业", "两头重", "中间轻"} <= set(words)


# --- the built editions (book) -----------------------------------------------------------------------


def _index(site: Path) -> dict:
    text = (site / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


class _Article(HTMLParser):
    """The text of a page's article as Sphinx indexes it: no scripts or styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside, self.skip, self.parts = 0, 0, []

    def handle_starttag(self, tag, attrs):
        self.inside += tag == "article"
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.inside -= tag == "article" and self.inside > 0
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data):
        if self.inside and not self.skip:
            self.parts.append(data)


@cache
def _article(page: Path) -> str:
    parser = _Article()
    parser.feed(page.read_text(encoding="utf-8"))
    return _words(" ".join(parser.parts))


def _words(text: str) -> str:
    """Text as the search sees it: its words in lower case, one space between (quotes and dashes are no words)."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def _pages_using(site: Path, index: dict, term: str) -> set[int]:
    """The pages of the index whose article holds the words of ``term`` in a row (whole English words)."""
    pattern = re.compile(r"(?<![a-z0-9])" + re.escape(_words(term)) + r"(?![a-z0-9])")
    return {n for n, name in enumerate(index["filenames"]) if pattern.search(_article(site / _html(name)))}


def _html(source_name: str) -> str:
    return re.sub(r"\.(md|ipynb|rst)$", ".html", source_name)


def _query_words(term: str) -> list[str]:
    """The words the search page looks up for ``term``: cut at what is not a letter or a digit, lower case,
    without stop words and numbers, stemmed (Han words stay as they are)."""
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("porter")
    words = [w.lower() for w in re.findall(r"[^\W_]+", term)]
    return [stemmer.stemWord(w) for w in words if w not in STOPWORDS and not w.isdigit()]


def _pages_found(index: dict, words: list[str]) -> set[int]:
    """The pages that hold every word of the query (the search page lets words of two letters or fewer go)."""
    required = [w for w in words if len(w) > 2] or words
    found = None
    for word in required:
        pages = set()
        for mapping in (index["terms"], index["titleterms"]):
            hit = mapping.get(word, [])
            pages |= {hit} if isinstance(hit, int) else set(hit)
        found = pages if found is None else found & pages
    return found or set()


@pytest.mark.parametrize("edition", ["en", "zh_CN"])
def test_every_glossary_term_is_a_search_term_of_the_pages_that_use_it(built_site, edition):
    site = built_site if edition == "en" else ZH_SITE
    index = _index(site)
    problems = []
    for term in TERMS:
        words = _query_words(term)
        using = _pages_using(site, index, term)
        found = _pages_found(index, words)
        missing = [w for w in words if len(w) > 2 and w not in index["terms"] and w not in index["titleterms"]]
        if missing:
            problems.append(f"{term}: {missing} not in the index")
        elif not using:
            problems.append(f"{term}: no page uses it")
        elif using - found:
            problems.append(f"{term}: not found on {sorted(index['docnames'][n] for n in using - found)}")
    assert problems == [], f"{edition}: " + "; ".join(problems)


def test_the_builds_dictionary_is_the_glossarys(built_site):
    for suffix in ("", "-zh_CN"):
        path = built_site.parent / f"infraclusters-search{suffix}" / search.DICTIONARY
        assert search.read_dictionary(str(path)) == search.dictionary_words(row["term_zh"] for row in GLOSSARY)


#: A few searches as a reader types them: (edition, query, a page it must find).
SEARCHES = [
    ("en", "死亡谷", "chapters/mechanisms.html"),
    ("en", "中试基地", "chapters/cases/03_dongguan_songshanlake.html"),
    ("en", "成果转化类", "chapters/concepts.html"),
    ("en", "valley of death", "chapters/mechanisms.html"),
    ("zh_CN", "死亡谷", "chapters/mechanisms.html"),
    ("zh_CN", "中试基地", "chapters/cases/03_dongguan_songshanlake.html"),
    ("zh_CN", "成果转化类", "chapters/concepts.html"),
    ("zh_CN", "valley of death", "chapters/glossary.html"),
    ("zh_CN", "中试", "chapters/mechanisms.html"),  # a part of a term: the Chinese search segments it
]


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["en", "zh_CN"])
def test_search_page_finds_glossary_terms_offline(built_site, edition):
    need(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    site = built_site if edition == "en" else ZH_SITE
    index = _index(site)
    with serve(site) as base, offline_page() as (page, blocked):
        for _, query, expected in [s for s in SEARCHES if s[0] == edition]:
            page.goto(base + "search.html?q=" + query, wait_until="networkidle")
            page.wait_for_selector("#search-results li", timeout=20000)
            found = page.eval_on_selector_all("#search-results li a", "links => links.map(a => a.href)")
            assert any(link.split("#")[0].endswith(expected) for link in found), f"{query}: {found}"
        # every term, through the page's own search code: the pages that use it are among the results
        results = page.evaluate(
            """terms => terms.map(q => {
                const [query, words, excluded, highlight, objects] = Search._parseQuery(q);
                return Search._performSearch(query, words, excluded, highlight, objects).map(r => r[0]);
            })""",
            TERMS,
        )
        problems = []
        for term, docnames in zip(TERMS, results):
            using = {index["docnames"][n] for n in _pages_using(site, index, term)}
            if not using or using - set(docnames):
                problems.append(f"{term}: {sorted(using - set(docnames)) or 'no page uses it'}")
        assert problems == [], f"{edition}: " + "; ".join(problems)
        assert blocked == []
