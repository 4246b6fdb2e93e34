"""Shared fixtures: the repository, the paper's text, a scratch copy of the data, the built site.

Also the test tiers: every test is marked ``unit``, ``extension`` or ``book`` (see
:func:`pytest_collection_modifyitems`), so ``pytest -m unit`` runs the fast tests alone.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SITE = ROOT / "_build" / "html"
#: The jupyter-book command of the running environment.
JUPYTER_BOOK = str(Path(sys.executable).with_name("jupyter-book"))
IN_CI = os.environ.get("CI", "").lower() == "true"
#: The paper's text is not redistributed here; the project keeps it in shared/seed beside the checkout.
PAPER_CANDIDATES = [ROOT.parent / "shared" / "seed" / "paper.txt", ROOT / "paper.txt"]


def compendium(data_dir: Path = DATA, root: Path = ROOT):
    """The compendium of ``data_dir`` (validated; raises DataValidationError), citing ``root``'s bibliography."""
    from infraclusters.model import Compendium

    return Compendium.open(data_dir, root)


@pytest.fixture(scope="session")
def c():
    """The book's own compendium (data/ of this checkout)."""
    return compendium()


@pytest.fixture(scope="session")
def ed():
    """The English edition."""
    from infraclusters.edition import Edition

    return Edition()


def need(condition: bool, reason: str) -> None:
    """Skip on a developer's machine without the prerequisite; fail in CI, where it must exist."""
    if not condition:
        if IN_CI:
            pytest.fail(f"required in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def paper_text() -> str:
    """The paper with all whitespace removed, so quotes can be matched across PDF line breaks."""
    path = next((p for p in PAPER_CANDIDATES if p.is_file()), None)
    need(path is not None, f"the paper's text (looked in {', '.join(map(str, PAPER_CANDIDATES))})")
    return re.sub(r"\s+", "", path.read_text(encoding="utf-8"))


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A scratch copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def contradict(data_dir: Path, check_id: str) -> None:
    """Data where the paper's claim fails: the public page gives another value for the same metric, period, scope."""
    path = data_dir / "fact_checks.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["check_id"] == check_id:
            row.update(same_value="no", same_metric="yes", same_period="yes", same_scope="yes")
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


ZH_SITE = SITE / "zh_CN"


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The built HTML site, both editions; built here (not strict) if no build exists yet."""
    if not (SITE / "index.html").is_file():
        subprocess.run([JUPYTER_BOOK, "build", str(ROOT)], check=True, cwd=ROOT)
    if not (ZH_SITE / "index.html").is_file():
        subprocess.run([sys.executable, "-m", "infraclusters", "edition", "zh_CN"], check=True, cwd=ROOT)
    return SITE


TOOLS = ROOT / ".tools"


def isolated_tool(requirement: str, command: str) -> Path:
    """A command-line tool from PyPI in its own virtual environment (kept in .tools/, reused).

    For tools whose pins clash with the book's environment (cffconvert wants jsonschema < 4,
    Frictionless >= 4.20), so they never share site-packages with the book.
    """
    import venv

    home = TOOLS / requirement.replace("==", "-")
    executable = home / "bin" / command
    if not executable.is_file():
        venv.create(home, with_pip=True)
        subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", "--quiet", requirement], check=True)
    return executable


#: Free-text columns added after most tests were written (a cluster's notes; Chinese twins of notes):
#: a row given without them gets them empty, at their place. (table: (index, empty cells))
LATER_COLUMNS = {"clusters": (11, 2), "facilities": (10, 1), "organisations": (7, 1), "relations": (5, 1)}


def append_row(data_dir: Path, table: str, row: list) -> None:
    """Add one row to a table of a scratch data directory (a row short of the later columns gets them empty)."""
    import csv

    header = next(csv.reader(open(data_dir / f"{table}.csv", encoding="utf-8")))
    if table in LATER_COLUMNS and len(row) == len(header) - LATER_COLUMNS[table][1]:
        index, count = LATER_COLUMNS[table]
        row = [*row[:index], *[""] * count, *row[index:]]
    assert len(row) == len(header), f"{table}: {len(row)} cells for {len(header)} columns"
    with open(data_dir / f"{table}.csv", "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(row)


def render_case(cluster: str, data_dir: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    """``python -m infraclusters case CLUSTER --data-dir D --out O``, as a reader runs it."""
    command = [sys.executable, "-m", "infraclusters", "case", cluster, "--data-dir", str(data_dir), "--out", str(out)]
    command += list(options)
    return subprocess.run(command, capture_output=True, text=True)


# --- test tiers -------------------------------------------------------------------------------------

#: The tier of each test file. ``unit``: model, figures and text in-process (no book build, kernel,
#: browser or subprocess build); ``extension``: in-process Sphinx; ``book``: builds a book, runs
#: papermill or jupyter-book, Chromium, the PDF or LinkChecker.
TIERS = {
    "test_accessibility.py": "book",
    "test_bad_input.py": "book",
    "test_browser.py": "book",
    "test_build.py": "book",
    "test_bundle.py": "unit",
    "test_cases.py": "unit",
    "test_chain.py": "unit",
    "test_chapters.py": "book",
    "test_citation.py": "unit",
    "test_claims.py": "unit",
    "test_data.py": "unit",
    "test_editions.py": "book",
    "test_extension.py": "extension",
    "test_gauntlet.py": "unit",
    "test_archive.py": "book",
    "test_figures.py": "unit",
    "test_i18n.py": "unit",
    "test_layers.py": "unit",
    "test_links.py": "book",
    "test_mechanisms.py": "unit",
    "test_network.py": "unit",
    "test_pdf.py": "book",
    "test_reproducible.py": "book",
    "test_roles.py": "unit",
    "test_sources.py": "unit",
    "test_own_cluster.py": "unit",
    "test_notebook_outputs.py": "unit",
    "test_verify.py": "unit",
    "test_claimreview.py": "unit",
    "test_report_pack.py": "unit",
    "test_release.py": "book",
    "test_downloads.py": "unit",
    "test_rerun.py": "book",
    "test_search_terms.py": "book",
    "test_wording.py": "unit",
    "test_legibility.py": "book",
}
#: Tests whose tier differs from their file's: "file.py::test_name" (parameters left out) → tier.
TIER_EXCEPTIONS = {
    "test_bad_input.py::test_descriptor_that_is_not_json": "unit",
    "test_bad_input.py::test_case_never_deletes_a_readers_files": "unit",  # stops before any work
    "test_bad_input.py::test_translations_update_never_deletes_a_catalogue": "unit",
    "test_bad_input.py::test_update_keeps_a_removed_message_as_obsolete_and_brings_it_back": "unit",
    "test_bad_input.py::test_spreadsheet_cells_that_would_run_are_quoted_and_numbers_stay_numbers": "unit",
    "test_bad_input.py::test_downloads_of_a_hostile_cluster_are_inert": "unit",  # in-process export of one cluster
    "test_bad_input.py::test_every_test_a_page_names_exists": "unit",
    "test_build.py::test_execution_is_cached_and_errors_raise": "unit",
    "test_build.py::test_readme_quick_start_is_two_commands": "unit",
    "test_build.py::test_requirements_are_pinned_and_jupyter_book_stays_on_1x": "unit",
    "test_cases.py::test_own_cluster_renders_with_one_command": "book",  # papermill + a one-page book
    "test_cases.py::test_own_cluster_renders_in_chinese": "book",
    "test_chapters.py::test_there_are_executable_chapters": "unit",
    "test_chapters.py::test_every_figure_is_placed_once_in_its_chapter": "unit",
    "test_citation.py::test_citation_cff_is_valid_and_is_what_the_book_cites": "book",  # pip-installs cffconvert
    # The figures' downloads, exported by ``python -m infraclusters figures`` (every figure, ~30 s): the build's work.
    "test_figures.py::test_export_writes_every_format": "book",
    "test_figures.py::test_png_is_at_least_twice_the_svg_size": "book",
    "test_figures.py::test_csv_holds_exactly_the_rows_drawn": "book",
    "test_figures.py::test_svg_keeps_the_chinese_title_as_text": "book",
    "test_figures.py::test_citations_name_the_figure_the_book_and_the_paper": "book",
    "test_i18n.py::test_every_translation_is_current": "book",  # a Sphinx gettext build of the whole book
    "test_wording.py::test_the_built_chinese_edition_keeps_the_house_rules": "book",
    "test_sources.py::test_the_bibliography_page_shows_headlines_as_printed_and_every_grade": "book",
    "test_own_cluster.py::test_a_readers_own_page_is_citable": "book",  # papermill + a one-page book
    "test_own_cluster.py::test_compare_puts_the_readers_cluster_beside_the_books_three": "book",
    "test_rerun.py::test_values_are_python_literals_or_text": "unit",
    "test_rerun.py::test_list_names_every_chapter_with_its_parameters_and_defaults": "unit",
    "test_rerun.py::test_an_unknown_chapter_or_parameter_stops_with_the_known_ones": "unit",
    # The glossary's jieba dictionary and the two splitters, in-process (jieba loads its dictionary, ~1 s).
    "test_pdf.py::test_contents_numbers_follow_the_bookmarks_in_reading_order_and_never_guess": "unit",
    "test_pdf.py::test_the_margin_check_sees_a_mark_at_the_edge": "unit",
    "test_pdf.py::test_the_print_font_is_cut_to_the_characters_and_has_truetype_outlines": "unit",
    "test_search_terms.py::test_dictionary_keeps_every_glossary_term_whole": "unit",
    "test_search_terms.py::test_dictionary_cleans_hostile_terms": "unit",
    "test_search_terms.py::test_options_name_the_dictionary_absolutely_and_change_with_it": "unit",
    "test_search_terms.py::test_english_search_cuts_han_text_into_the_glossarys_terms": "unit",
    "test_search_terms.py::test_chinese_search_stems_english_as_the_search_page_does": "unit",
}
TIER_MARKERS = ("unit", "extension", "book")


def tier_of(item) -> str:
    """A test's tier: its own marker if it has one, ``book`` if it needs the built site, else its file's."""
    own = [name for name in TIER_MARKERS if item.get_closest_marker(name)]
    if own:
        return own[0]
    if "built_site" in getattr(item, "fixturenames", ()):
        return "book"
    file = Path(str(item.fspath)).name
    name = getattr(item, "originalname", None) or item.name.split("[", 1)[0]
    # A file not listed counts as ``book``: never slow down the unit tier by accident.
    return TIER_EXCEPTIONS.get(f"{file}::{name}", TIERS.get(file, "book"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(getattr(pytest.mark, tier_of(item)))
