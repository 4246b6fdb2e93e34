"""The Chinese edition's translations: lookups, the figures in Chinese, and the check that CI runs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from conftest import ROOT, compendium

from infraclusters import edition, figures
from infraclusters.book import translations as editions
from infraclusters.edition import Edition

LATIN = re.compile("[A-Za-z]{2,}")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'fr'.*en, zh_CN"):
        edition.normalise("fr")
    with pytest.raises(ValueError, match="unknown language 'fr'.*en, zh_CN"):
        Edition("fr")


def test_gettext_uses_the_catalogue_and_falls_back_to_english():
    catalogue = Edition(edition.CHINESE).catalogue()
    assert catalogue, "locales/zh_CN/LC_MESSAGES/infraclusters*.po hold no translations"
    message, translation = next(iter(catalogue.items()))
    assert Edition("zh_CN").t(message) == translation
    assert Edition("en").t(message) == message
    assert Edition("zh_CN").t("a message no catalogue holds") == "a message no catalogue holds"


def _strings(spec, key: str) -> list[str]:
    """Every string under ``key`` anywhere in a Vega-Lite spec (titles, tooltip titles, subtitles)."""
    found = []
    if isinstance(spec, dict):
        for name, value in spec.items():
            if name == key and isinstance(value, str):
                found.append(value)
            elif name == key and isinstance(value, dict):
                found += [v for k, v in value.items() if k in ("text", "subtitle") and isinstance(v, str)]
            found += _strings(value, key)
    elif isinstance(spec, list):
        for value in spec:
            found += _strings(value, key)
    return found


@pytest.mark.parametrize("figure_id", figures.figure_ids(compendium()))
def test_chinese_figures_have_chinese_titles_axes_legends_and_tooltips(figure_id, c):
    spec = figures.build(figure_id, c, Edition("zh_CN")).to_dict()
    english = [text for text in _strings(spec, "title") if LATIN.search(text.replace("Vega", ""))]
    assert not english, f"{figure_id}: English left in the Chinese figure: {english}"
    assert not LATIN.search(spec["description"]), f"{figure_id}: alt text not translated: {spec['description'][:80]}"
    english_spec = figures.build(figure_id, c, Edition("en")).to_dict()
    assert english_spec["title"]["text"] != spec["title"]["text"]


def _catalog(messages: dict[str, str], fuzzy: set[str] = frozenset()) -> Catalog:
    catalog = Catalog(locale="zh_CN")
    for message, translation in messages.items():
        catalog.add(message, translation, flags=["fuzzy"] if message in fuzzy else [])
    return catalog


def test_check_names_missing_untranslated_fuzzy_stale_and_broken_markup(tmp_path):
    template = _catalog(
        {
            "A new sentence.": "",
            "An untranslated sentence.": "",
            "A changed sentence.": "",
            "A sentence citing {claim}`C0-01`.": "",
            "A translated sentence.": "",
            "1": "",
        }
    )
    translations = _catalog(
        {
            "An untranslated sentence.": "",
            "A changed sentence.": "旧的译文。",
            "A sentence citing {claim}`C0-01`.": "一句丢了论断的译文。",
            "A translated sentence.": "一句译文。",
            "A removed sentence.": "已删除的句子。",
        },
        fuzzy={"A changed sentence."},
    )
    (tmp_path / "chapters").mkdir()
    with open(tmp_path / "chapters" / "page.po", "wb") as handle:
        write_po(handle, translations)
    problems = editions.compare({"chapters/page.po": template}, tmp_path)
    found = {(p.kind.split(" ")[0], p.message) for p in problems}
    assert found == {
        ("missing", "A new sentence."),
        ("untranslated", "An untranslated sentence."),
        ("fuzzy", "A changed sentence."),
        ("markup", "A sentence citing {claim}`C0-01`."),
        ("stale", "A removed sentence."),
    }
    assert all(str(p).startswith("locales/zh_CN/LC_MESSAGES/chapters/page.po: ") for p in problems)


def test_a_quotation_of_the_paper_must_stay_verbatim():
    message = "Industries of the future are “具有鲜明的‘全链条’、科技含量高的特点” {claim}`C0-01`."
    assert (
        editions.markup_differences(message, "未来产业“具有鲜明的‘全链条’、科技含量高的特点”{claim}`C0-01`。") is None
    )
    problem = editions.markup_differences(message, "未来产业“具有鲜明的全链条和高科技含量的特点”{claim}`C0-01`。")
    assert problem and "not verbatim" in problem


def test_lint_flags_a_translation_that_drops_a_role(tmp_path):
    path = tmp_path / "page.po"
    with open(path, "wb") as handle:
        write_po(handle, _catalog({"See {numref}`fig-x` and [the data](data.md).": "见数据。"}))
    problems = editions.lint_catalogue(path)
    assert problems and "roles differ" in problems[0]


def test_a_translation_keeps_every_role_target_and_link_address():
    message = "The chain {claim}`C1.2-04`, the {term}`full chain <全链条>`, and [the data](data.md)."
    assert editions.markup_differences(message, "链条{claim}`C1.2-04`、{term}`全链条`与[数据](data.md)。") is None
    swapped = editions.markup_differences(message, "链条{claim}`C1.2-05`、{term}`全链条`与[数据](data.md)。")
    assert swapped and "roles differ" in swapped and "claim:C1.2-05" in swapped
    moved = editions.markup_differences(message, "链条{claim}`C1.2-04`、{term}`全链条`与[数据](https://evil.example)。")
    assert moved and "links differ" in moved


@pytest.mark.parametrize(
    "injected",
    [
        "下载：<img src=x onerror=alert('x')>",
        "下载：<script>alert(1)</script>",
        "下载：<a href='x'>点</a>",
        "<!-- x -->",
    ],
)
def test_a_translation_may_add_no_raw_html(injected):
    problem = editions.markup_differences("Download:", injected)
    assert problem and "raw HTML is not allowed" in problem
    # The source's own markup may stay.
    assert editions.markup_differences("A <br> break", "一个 <br> 换行") is None


#: Translations that would make the page do something its source does not (the red team's, round three).
ACTIVE = [
    ("设施{{ lipsum.__globals__['os'].popen('id').read() }}", "substitution"),  # Jinja2 ran Python at build
    ('设施 \\`<img src=x onerror="window.__pwned=1">\\`', "raw HTML"),  # an escaped backtick opened no code
    ("设施 \\`[点此](https://evil.example/phish)\\`", "links differ"),
    ("设施 $E=mc^2$", "math"),  # MathJax from a CDN: the page no longer reads offline
    ("设施 {oops}", "placeholders"),  # a KeyError in a worker, before
    ("设施 {name_en.__class__.__mro__}", "placeholders"),  # reads into the program
    ("设施\n```{raw} html\n<script>x()</script>\n```", "fence or directive"),
    ("设施\n:::{raw} html\nx\n:::", "fence or directive"),
    ("设施 ![x](http://127.0.0.1/t.png)", "links differ"),
    ("设施 [点此][1]\n\n[1]: javascript:alert(1)", "reference link"),
    ("设施 <https://evil.example>", "raw HTML"),
    ("设施 javascript:alert(1)", "web address"),
    ("设施[^1]\n\n[^1]: 注", "footnote"),
    ("设施 {name_en:>999999999}", "placeholders"),  # a format that builds a gigabyte string
    ("设施 {0} {0.__class__}", "placeholders"),  # positional fields
]


@pytest.mark.parametrize(("translation", "kind"), ACTIVE, ids=[str(i) for i in range(len(ACTIVE))])
def test_a_translation_may_add_no_markup_math_substitution_link_or_placeholder(translation, kind):
    problem = editions.markup_differences("Facility {name_en}", translation)
    assert problem and kind in problem, problem
    assert editions.markup_differences("Facility {name_en}", "设施 {name_zh}") is None  # the value's Chinese twin
    assert editions.markup_differences("Cost in $ (USD)", "费用（$，美元）") is None  # the source's own


def test_markup_in_a_double_backtick_code_span_of_the_source_allows_none_in_the_translation():
    """The source shows `` \\`<img …>\\` `` as code (a double-backtick span: a backslash is only a backslash
    inside it); a translation that adds a real ``<img>`` outside code is refused (the red team's second round)."""
    message = "Hostile input (`` \\`<img …>\\` ``)"
    assert editions.markup_differences(message, "恶意输入（`` \\`<img …>\\` ``）") is None
    added = editions.markup_differences(message, "恶意输入（`` \\`<img …>\\` ``）<img src=x onerror=alert(1)>")
    assert added and "raw HTML" in added


def test_a_chinese_build_refuses_an_active_translation_even_unlinted(tmp_path):
    """The Chinese edition's build reads its catalogues as text: a translation that would run or add markup
    stops the build, naming the catalogue and message, whether or not anyone ran ``translations --lint``."""
    from io import StringIO

    from sphinx.errors import ExtensionError
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "book"
    messages = src / "locales" / "zh_CN" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (src / "conf.py").write_text(
        'extensions = ["infraclusters.book"]\ninfraclusters_exports = False\nnb_execution_mode = "off"\n'
        'language = "zh_CN"\nlocale_dirs = ["locales/"]\n',
        encoding="utf-8",
    )
    (src / "index.md").write_text("# Page\n\nFacility.\n", encoding="utf-8")
    shutil.copytree(ROOT / "data", src / "data")
    with open(messages / "index.po", "wb") as handle:
        write_po(handle, _catalog({"Facility.": "设施{{ lipsum.__globals__['os'].popen('id').read() }}"}))
    with pytest.raises(ExtensionError) as refused:
        SphinxTestApp("html", srcdir=src, status=StringIO(), warning=StringIO())
    assert "index.po" in str(refused.value) and "substitution" in str(refused.value)


def test_a_catalogue_with_an_unterminated_string_fails_lint_and_check(tmp_path):
    path = tmp_path / "page.po"
    path.write_text('msgid ""\nmsgstr ""\n\nmsgid "Download:"\nmsgstr "下载：\n', encoding="utf-8")
    problems = editions.lint_catalogue(path)
    assert problems and "line 5" in problems[0] and "not valid PO syntax" in problems[0]
    template = Catalog()
    template.add("Download:")
    checked = editions.compare({"page.po": template}, tmp_path)
    assert [p.kind for p in checked] == ["not valid PO syntax"]


@pytest.mark.slow
def test_every_translation_is_current():
    """CI's translation check: every message of the chapters, package and data translated, none stale."""
    result = subprocess.run(
        [sys.executable, "-m", "infraclusters", "translations", "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-4000:]


def test_paper_sections_are_named_in_chinese():
    assert Edition("zh_CN").paper_source("paper intro") == "论文引言"
    assert Edition("zh_CN").paper_source("paper §2.2") == "论文§2.2"
    assert Edition("en").paper_source("paper §2.2") == "paper §2.2"


def test_compiled_catalogues_do_not_count_as_changed_input(tmp_path):
    """Sphinx compiles .po to .mo during the build; that must not empty the execution cache next time."""
    from infraclusters.book.caching import fingerprint as _fingerprint

    (tmp_path / "page.po").write_text('msgid "A"\nmsgstr "甲"\n', encoding="utf-8")
    before = _fingerprint(tmp_path)
    (tmp_path / "page.mo").write_bytes(b"\x00compiled")
    assert _fingerprint(tmp_path) == before
    (tmp_path / "page.po").write_text('msgid "A"\nmsgstr "乙"\n', encoding="utf-8")
    assert _fingerprint(tmp_path) != before


def test_roles_are_told_from_code_spans():
    """Two roles in a row, and a role's name shown in a code span, are each read for what they are."""
    message = "{glue:text}`n_located` of the {glue:text}`n_clusters` cities; write `{download}` to link a file."
    assert (
        editions.markup_differences(
            message, "{glue:text}`n_clusters` 个城市中的 {glue:text}`n_located` 个；`{download}` 链接文件。"
        )
        is None
    )
    swapped = editions.markup_differences(
        message, "{glue:text}`n_located` 个；{glue:text}`n_located` 个；`{download}`。"
    )
    assert swapped and "glue:text:n_clusters" in swapped


def test_code_comments_are_shown_in_the_editions_language_and_the_code_is_not_touched():
    from infraclusters.book.i18n_patches import code_comments, translate_comments
    from infraclusters.edition import Edition

    code = 'data_dir = None  # None: the book data in data/; or the path of another copy\nlabel = "# not a comment"\n'
    assert [c[2] for c in code_comments(code)] == ["None: the book data in data/; or the path of another copy"]
    shown = translate_comments(code, Edition("zh_CN"))
    assert shown.startswith("data_dir = None  # None：使用本书 data/ 中的数据")
    assert 'label = "# not a comment"' in shown  # a "#" in a string is code
    assert translate_comments(code, Edition("en")) == code
    untranslated = "x = 1  # a comment no catalogue holds\n"
    assert translate_comments(untranslated, Edition("zh_CN")) == untranslated
    shell = "python -m infraclusters validate            # the book's data/\n"
    assert translate_comments(shell, Edition("zh_CN"), "bash").endswith("# 本书的 data/\n")
    assert code_comments("x = (1,\n") == []  # code that does not tokenize is left alone


def test_chapters_fold_away_only_code_as_the_translated_toggle_says():
    """The Chinese toggle reads 显示代码 (show code): a chapter that folded away an output would be mislabelled."""
    import re

    from conftest import ROOT

    for chapter in sorted((ROOT / "chapters").glob("*.md")):
        tags = re.findall(r":tags: \[([^\]]*)\]", chapter.read_text(encoding="utf-8"))
        assert not [t for t in tags if "hide-output" in t or "hide-cell" in t], chapter.name
