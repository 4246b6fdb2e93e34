"""Build settings that keep the book honest: cached execution, errors fail, nothing from a CDN."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import JUPYTER_BOOK, ROOT

CDN_SCRIPT = re.compile(r"""<(?:script|link)[^>]+(?:src|href)=["']https?://""", re.I)


def config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def test_execution_is_cached_and_errors_raise():
    settings = config()
    assert settings["execute"]["execute_notebooks"] == "cache"
    assert settings["execute"]["allow_errors"] is False
    assert settings["sphinx"]["config"]["nb_execution_raise_on_error"] is True


def test_no_page_loads_a_script_or_style_from_another_host(built_site):
    offenders = [
        p.relative_to(built_site).as_posix()
        for p in built_site.rglob("*.html")
        if CDN_SCRIPT.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.slow
def test_a_failing_cell_fails_the_build(tmp_path):
    """The book's own configuration, one chapter whose cell raises: the build must stop."""
    book = tmp_path / "book"
    book.mkdir()
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["sphinx"]["config"]["infraclusters_exports"] = False  # no figure downloads: the cell is what is tested
    (book / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    shutil.copy(ROOT / "references.bib", book / "references.bib")
    shutil.copytree(ROOT / "data", book / "data")  # the book's extension reads the data
    (book / "_toc.yml").write_text("format: jb-book\nroot: broken\n", encoding="utf-8")
    (book / "broken.md").write_text(
        "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n"
        "  display_name: Python 3\n  language: python\n  name: python3\n---\n\n# Broken\n\n"
        "```{code-cell} ipython3\nraise ValueError('this cell is meant to fail')\n```\n",
        encoding="utf-8",
    )
    result = subprocess.run([JUPYTER_BOOK, "build", str(book)], capture_output=True, text=True, cwd=book)
    assert result.returncode != 0
    assert "this cell is meant to fail" in result.stdout + result.stderr
    assert not (book / "_build" / "html" / "broken.html").exists()


def test_readme_quick_start_is_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "pip install -r requirements.txt" in commands[0] and "jupyter-book build" in commands[0]
    assert "pytest" in commands[1]


def test_the_default_run_leaves_out_the_slow_tier_and_slow_brings_it_in():
    """What the README promises of ``python -m pytest`` and ``--slow``, on this file's own tests."""
    command = [sys.executable, "-m", "pytest", "--co", "-q", "-p", "no:cacheprovider", "-n", "0"]

    def names(*options: str) -> set[str]:
        listing = subprocess.run([*command, *options, __file__], cwd=ROOT, capture_output=True, text=True).stdout
        return {line.split("::", 1)[1] for line in listing.splitlines() if "::" in line}

    default, everything = names(), names("--slow")
    slow = {"test_a_failing_cell_fails_the_build", "test_an_interrupted_build_then_a_normal_one_gives_the_clean_site"}
    assert slow <= everything and not slow & default
    assert "test_no_page_loads_a_script_or_style_from_another_host" in default  # a site test: in the default run
    assert "test_readme_quick_start_is_two_commands" in default
    assert names("--slow", "-m", "slow") == everything - default
    assert names("-m", "site") == {"test_no_page_loads_a_script_or_style_from_another_host"}


def test_requirements_are_pinned_and_jupyter_book_stays_on_1x():
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert "-e ." in lines
    pins = dict(line.split("==") for line in lines if line != "-e .")
    assert all(pins.values()) and len(pins) == len(lines) - 1, "every requirement pinned with =="
    assert pins["jupyter-book"].startswith("1.")


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory) -> tuple[Path, Path]:
    """A built copy of the book, its package included (imported from the copy), and a snapshot of it just built."""
    book = tmp_path_factory.mktemp("scratch") / "book"
    for name in source_files():
        (book / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, book / name)
    build(book)
    snapshot = book.parent / "snapshot"
    shutil.copytree(book, snapshot, symlinks=True)
    return book, snapshot


@pytest.fixture
def scratch_book(built_copy) -> Path:
    """The built copy, as it was built: each test may edit and rebuild it; afterwards it is put back from the
    snapshot (same path, same times, so Sphinx and the execution cache see the build they made) instead of
    being rebuilt."""
    book, snapshot = built_copy
    yield book
    shutil.rmtree(book)
    shutil.copytree(snapshot, book, symlinks=True)


#: What a copy of the sources leaves out when there is no git to list them (a source archive).
NOT_SOURCES = {".git", ".venv", "_build", ".tools", ".pytest_cache", "__pycache__", "node_modules", "cases"}


def source_files() -> list[str]:
    """The book's own files: tracked and new ones in a checkout, every source file in an archive."""
    if (ROOT / ".git").exists():
        listed = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        return [name for name in listed if (ROOT / name).is_file()]
    return [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*")
        if path.is_file()
        and not NOT_SOURCES & set(path.relative_to(ROOT).parts)
        and not path.relative_to(ROOT).parts[0].startswith(".jupyter_cache")
    ]


def build(book: Path, check: bool = True) -> subprocess.CompletedProcess:
    """``jupyter-book build`` of the copy, with the copy's own package on the path (kernels inherit it)."""
    env = {**os.environ, "PYTHONPATH": str(book / "src")}
    return subprocess.run(
        [JUPYTER_BOOK, "build", str(book)], cwd=book, env=env, check=check, capture_output=True, text=True
    )


def executed(result: subprocess.CompletedProcess) -> set[str]:
    """The pages a build executed (myst-nb says so, one line each)."""
    found = re.findall(r"(\S+)\.md: Executing notebook", result.stdout + result.stderr)
    return {Path(path).stem for path in found}


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


@pytest.mark.slow
def test_a_chapter_citing_one_more_claim_updates_the_ledger_and_a_quiet_build_reads_nothing(scratch_book):
    """The claims ledger is built from every chapter's roles: it follows a chapter's edit. (That a table edit
    reaches its pages: :func:`test_a_table_edit_re_executes_only_the_chapters_that_read_it`.)"""
    book = scratch_book
    # A chapter cites one more claim: the ledger, built from every chapter's roles, follows it.
    ledger = book / "_build" / "html" / "chapters" / "claims.html"

    def ledger_entry(claim: str) -> str:
        html = ledger.read_text(encoding="utf-8")
        start = html.index(f'id="claim-{claim.lower().replace(".", "-")}"')
        return html[start : html.index("</p>", start)]

    assert "concepts.html" not in ledger_entry("C3.1-01")
    chapter = book / "chapters" / "concepts.md"
    original = chapter.read_text(encoding="utf-8")
    chapter.write_text(original + "\nSee also {claim}`C3.1-01`.\n", encoding="utf-8")
    build(book)
    assert "concepts.html" in ledger_entry("C3.1-01")
    # Nothing changed: nothing is read again (the summary pages included).
    quiet = build(book)
    assert "0 added, 0 changed, 0 removed" in quiet.stdout and "chapters/claims" not in quiet.stdout


@pytest.mark.slow
def test_a_print_build_between_two_site_builds_never_stands_in_for_the_site(scratch_book):
    """The single-page HTML (the PDF's) has its own environment and state: after it, a code edit still re-reads
    every page of the site, and the site's figures stay interactive (print reads them as images)."""
    book = scratch_book
    directives = book / "src" / "infraclusters" / "book" / "directives.py"
    edit(directives, '("txt", N_("Cite (text)")),', '("txt", N_("Cite (text, edited)")),')
    env = {**os.environ, "PYTHONPATH": str(book / "src")}
    subprocess.run(
        [sys.executable, "-c", "from infraclusters.book.pdf import build_singlehtml as b; b()"],
        cwd=book, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert (book / "_build" / "singlehtml-en" / "index.html").is_file()
    build(book)
    page = (book / "_build" / "html" / "chapters" / "mechanisms.html").read_text(encoding="utf-8")
    assert "Cite (text, edited)" in page, "the site's pages were read again after the code edit"
    assert 'id="altair-viz-fig-mechanism-map"' in page and "infra-static-figure" not in page


@pytest.mark.slow
def test_a_table_edit_re_executes_only_the_chapters_that_read_it(scratch_book):
    book = scratch_book
    state = json.loads((book / "_build" / ".doctrees" / "infraclusters-state.json").read_text(encoding="utf-8"))
    readers = {Path(doc).stem for doc, tables in state["reads"].items() if "milestones" in tables}
    assert readers == {"concepts", "data"}, "the kernels recorded which chapters read the milestones"
    edit(book / "data" / "milestones.csv", "20世纪80年代 (1980s)", "20世纪80年代 (1980s EDITED)")
    assert executed(build(book)) == readers
    assert "1980s EDITED" in (book / "_build" / "html" / "chapters" / "concepts.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_chart_edit_re_exports_that_figure_and_re_executes_no_chapter(scratch_book):
    book = scratch_book
    figures = book / "_build" / "infraclusters-extra" / "figures"
    before = {png.name: png.read_bytes() for png in figures.glob("*.png")}
    specs = {spec.name: spec.read_bytes() for spec in figures.glob("*.vl.json")}
    module = book / "src" / "infraclusters" / "figures" / "comparison.py"
    edit(module, "points = base.mark_circle(size=180,", "points = base.mark_circle(size=400,")
    result = build(book)
    assert executed(result) == set(), "no chapter runs chart code"
    after = {png.name: png.read_bytes() for png in figures.glob("*.png")}
    redrawn = {name.split(".")[0] for name in before if after[name] != before[name]}
    # the images of the edited module's figures: they record its fingerprint (figures/versions.py); no other
    assert redrawn == {"fig-compare-locator", "fig-compare-coverage", "fig-compare-timeline"}
    changed = {name for name, text in specs.items() if (figures / name).read_bytes() != text}
    assert changed == {"fig-compare-locator.vl.json"}, "what a figure shows changed for the edited one only"
    page = (book / "_build" / "html" / "chapters" / "comparison.html").read_text(encoding="utf-8")
    assert '"size": 400' in page, "the page shows the re-exported spec"


def normalised_site(site: Path) -> dict[str, str]:
    """Every page's text, less what differs between any two builds (table ids, asset checksums, build times)."""
    pages = {}
    for page in sorted(site.rglob("*.html")):
        if page.name == "colophon.html":  # the build's own date and times
            continue
        text = re.sub(r"T_[0-9a-f]{5}", "T_", page.read_text(encoding="utf-8"))  # pandas Styler's random ids
        # Sphinx appends an asset's checksum (?v=…) only if the asset was already copied when the page was written
        text = re.sub(r"\?v=[0-9a-f]{8}", "", text)
        pages[page.relative_to(site).as_posix()] = text
    return pages


@pytest.mark.slow
def test_an_interrupted_build_then_a_normal_one_gives_the_clean_site(scratch_book, tmp_path):
    book = scratch_book
    edit(book / "data" / "milestones.csv", "20世纪80年代 (1980s)", "20世纪80年代 (1980s RESUMED)")
    env = {**os.environ, "PYTHONPATH": str(book / "src")}
    process = subprocess.Popen(
        [JUPYTER_BOOK, "build", str(book)],
        cwd=book,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    for line in process.stdout:  # killed while it executes the first chapter that read the table
        if "Executing notebook" in line:
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert (book / "_build" / ".doctrees" / "infraclusters-pending.json").is_file(), "the pending pages were noted"
    build(book)
    assert not (book / "_build" / ".doctrees" / "infraclusters-pending.json").exists()
    clean = tmp_path / "clean"
    shutil.copytree(book, clean, ignore=shutil.ignore_patterns("_build", ".jupyter_cache*"))
    build(clean)
    resumed = normalised_site(book / "_build" / "html")
    fresh = normalised_site(clean / "_build" / "html")
    assert set(resumed) == set(fresh)
    differing = [
        name for name in fresh if resumed[name].replace(str(book), "BOOK") != fresh[name].replace(str(clean), "BOOK")
    ]
    assert differing == []
    assert "1980s RESUMED" in resumed["chapters/concepts.html"]
