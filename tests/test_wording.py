"""The wording checks: one English name per glossary term, the Chinese edition's house rules, the citation labels."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, ZH_SITE, compendium

from infraclusters.book import wording

GLOSSARY = pd.DataFrame(
    [
        {"term_id": "whole_chain", "term_en": "whole chain", "avoid_en": "full chain; complete chain"},
        {"term_id": "pilot_base", "term_en": "pilot base", "avoid_en": "pilot-scale base"},
        {"term_id": "plain", "term_en": "science city", "avoid_en": None},
    ]
)


def a_book(tmp_path: Path, chapter: str = "", rows: list[dict] | None = None) -> Path:
    (tmp_path / "chapters").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "chapters" / "page.md").write_text(chapter, encoding="utf-8")
    if rows:
        with open(tmp_path / "data" / "things.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return tmp_path


def test_another_english_name_for_a_term_is_found_with_file_and_line(tmp_path):
    root = a_book(tmp_path, "# Page\n\nClusters span the full\nchain, with pilot-scale bases and a whole chain.\n")
    found = wording.english_terms(root, GLOSSARY)
    assert [(f.path, f.line) for f in found] == [("chapters/page.md", 3), ("chapters/page.md", 4)]
    assert "“full chain”" in str(found[0]) and "whole chain" in str(found[0])


def test_a_proper_name_and_the_chosen_name_pass(tmp_path):
    root = a_book(tmp_path, "The Full Chain Act of 2030 names the whole chain and a pilot base.\n")
    assert wording.english_terms(root, GLOSSARY) == []


def test_english_data_columns_are_checked_and_quotations_are_not(tmp_path):
    rows = [{"thing_id": "a", "notes": "Serves the complete chain.", "quote": "the full chain", "name_zh": "全链条"}]
    found = wording.english_terms(a_book(tmp_path, rows=rows), GLOSSARY)
    assert [(f.path, f.line) for f in found] == [("things.csv", 2)] and "notes" in found[0].text


def test_the_book_uses_one_english_name_per_term():
    assert wording.english_terms(ROOT, compendium().table("glossary")) == []


def test_the_glossary_names_each_term_once():
    glossary = compendium().table("glossary")
    assert not glossary["term_en"].str.contains(r"\(", regex=True).any(), "one name, no alternative in brackets"
    for term in glossary.itertuples():
        avoid = term.avoid_en if isinstance(term.avoid_en, str) else ""
        avoided = [v.strip().lower() for v in avoid.split(";") if v.strip()]
        assert term.term_en.lower() not in avoided


def catalogue(tmp_path: Path, pairs: list[tuple[str, str]]) -> Path:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    folder = tmp_path / "locales" / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    book = Catalog(locale="zh_CN")
    for source, translation in pairs:
        book.add(source, translation)
    with open(folder / "page.po", "wb") as handle:
        write_po(handle, book)
    return tmp_path


@pytest.mark.parametrize(
    ("source", "translation", "rule"),
    [
        ("traced to the 1980s", "可追溯至 1980 年代", "decade"),
        ("none of 3 clusters", "在 3 个集群中，有 0 个集群如此", "count of zero"),
        ("*Source:* paper §3", "*来源：*论文§3", "stray asterisk"),
        ("Huang et al.", "工业和信息化部 et al.", "et al."),
        ("quote", "“重大科技 基础设施”", "space between characters"),
        ("USTC hosts the light source", "中国科大承载合肥光源", "relation verb"),
        ("holds a controlling stake in", "隶属于该集团", "relation verb"),
    ],
)
def test_each_house_rule_catches_its_mistake(tmp_path, source, translation, rule):
    found = wording.chinese_catalogues(catalogue(tmp_path, [(source, translation)]))
    assert [f.rule for f in found] == [rule]
    assert found[0].path.endswith("page.po") and found[0].line > 0


def test_good_chinese_passes(tmp_path):
    pairs = [
        ("traced to the 1980s", "可追溯至20世纪80年代"),
        ("*Source:* paper §3", "*来源*：论文§3"),
        ("*distinctly whole-chain*", "全链条"),  # a dropped English gloss is no stray mark
        ("Furman et al.", "Furman et al."),
    ]
    assert wording.chinese_catalogues(catalogue(tmp_path, pairs)) == []


def test_the_catalogues_and_chapters_keep_the_house_rules():
    assert wording.chinese_catalogues(ROOT) == []
    assert wording.chinese_line_breaks(ROOT) == []


def test_a_chinese_quotation_broken_over_two_lines_is_found(tmp_path):
    root = a_book(tmp_path, "It says “重大科技\n基础设施” here.\n")
    assert [f.line for f in wording.chinese_line_breaks(root)] == [1]


def test_the_site_check_finds_literal_stars_duplicate_headers_and_et_al(tmp_path):
    page = (
        "<html><body><p>图注。*来源：*论文§3</p><p>工业和信息化部 <em>et al.</em>, 2024</p>"
        "<table><thead><tr><th>环节</th><th>环节</th></tr></thead></table>"
        "<pre>a*b</pre><p>Furman <em>et al.</em></p>"
        '<p><a href="bibliography.html#id9"><em>安徽代表团建议 举全省之力</em>, 2019</a></p></body></html>'
    )
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    rules = sorted(f.rule for f in wording.chinese_site(tmp_path))
    assert rules == ["duplicated table header", "et al.", "stray asterisk"]


def test_citation_labels_follow_the_language_of_the_name():
    from pybtex.database import Person

    from infraclusters.book.citation_style import is_chinese_name

    assert is_chinese_name(Person("工业和信息化部"))
    assert not is_chinese_name(Person("Furman, Jeffrey L."))


def test_the_built_chinese_edition_keeps_the_house_rules(built_site):
    found = wording.chinese_site(ZH_SITE)
    assert found == [], "\n".join(map(str, found[:20]))
    index = (ZH_SITE / "chapters" / "concepts.html").read_text(encoding="utf-8")
    assert "工业和信息化部等" in index
