"""Shared fixtures: the repository, the paper's words, a scratch copy of the data, the built site.

Also the test tiers (see :func:`pytest_collection_modifyitems`): every test is ``unit``, ``extension``,
``site`` or ``slow``. ``python -m pytest`` runs the first three; ``--slow`` adds the slow tier (what CI runs).
"""

from __future__ import annotations

import csv
import os
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
def paper():
    """The paper's words: its text where it is present, else the committed fingerprint (``tests/paper.py``)."""
    from paper import Paper

    return Paper.load()


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
    """The built HTML site, both editions; built here (not strict) if no build exists yet, by one test worker
    while the others wait (a lock file beside the build)."""
    import fcntl

    (ROOT / "_build").mkdir(exist_ok=True)
    with open(ROOT / "_build" / ".tests-building-the-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (SITE / "index.html").is_file():
            subprocess.run([JUPYTER_BOOK, "build", str(ROOT)], check=True, cwd=ROOT)
        if not (ZH_SITE / "index.html").is_file():
            subprocess.run([sys.executable, "-m", "infraclusters", "edition", "zh_CN"], check=True, cwd=ROOT)
    return SITE


@pytest.fixture(scope="session")
def site_sweep(built_site) -> dict:
    """Every reader page of both editions, visited once in headless Chromium (``browser.sweep``): what the
    offline-rendering, accessibility and phone-width tests assert on."""
    from browser import chromium_path, sweep

    need(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    need(AXE.is_file(), "axe-core is not installed (npm ci --prefix tools/axe)")
    return sweep(built_site, AXE)


AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
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
#: a row given without them gets them empty, at their place.
LATER_COLUMNS = {
    "clusters": ("coordinate_note_zh", "notes", "notes_zh"),
    "facilities": ("notes_zh",),
    "organisations": ("notes_zh",),
    "relations": ("notes_zh",),
    "roles": ("note_zh",),
}


def append_row(data_dir: Path, table: str, row: list) -> None:
    """Add one row to a table of a scratch data directory (a row short of the later columns gets them empty)."""
    import csv

    header = next(csv.reader(open(data_dir / f"{table}.csv", encoding="utf-8")))
    later = LATER_COLUMNS.get(table, ())
    if later and len(row) == len(header) - len(later):
        given = iter(row)
        row = ["" if column in later else next(given) for column in header]
    assert len(row) == len(header), f"{table}: {len(row)} cells for {len(header)} columns"
    with open(data_dir / f"{table}.csv", "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(row)


def run_cli(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """``python -m infraclusters ARGS`` in this process (a subprocess costs 1.5 s of imports): exit code, what it
    printed, what it said on stderr. ``test_verify`` keeps one real process, ``python -m infraclusters``."""
    import contextlib
    import io

    from infraclusters import cli

    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    try:
        if cwd:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exit:
                code = exit.code
    finally:
        os.chdir(previous)
    return code, out.getvalue(), err.getvalue()


def render_case(cluster: str, data_dir: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    """``python -m infraclusters case CLUSTER --data-dir D --out O``, as a reader runs it."""
    command = [sys.executable, "-m", "infraclusters", "case", cluster, "--data-dir", str(data_dir), "--out", str(out)]
    command += list(options)
    return subprocess.run(command, capture_output=True, text=True)


# --- test tiers -------------------------------------------------------------------------------------
#
# A test's tier, in this order:
#   1. its own marker or its file's ``pytestmark``: ``slow`` (builds a book, runs papermill or a kernel,
#      Chromium, the PDF, LinkChecker or a release), ``extension`` (Sphinx in-process), ``unit`` or ``site``;
#   2. ``site`` if it reads the built site (the ``built_site`` fixture) and nothing slower;
#   3. ``unit`` otherwise: model, figures and text in-process.
# ``python -m pytest`` runs unit, extension and site (a few minutes); ``python -m pytest --slow`` runs every
# tier (what CI runs); ``-m unit`` picks one tier as usual.

TIER_MARKERS = ("slow", "extension", "site", "unit")


def pytest_addoption(parser):
    parser.addoption(
        "--slow",
        action="store_true",
        default=False,
        help="also run the slow tier: scratch builds, papermill, Chromium, PDF, LinkChecker, release (CI runs it)",
    )


def tier_of(item) -> str:
    """A test's tier: its own (or its file's) marker, else ``site`` if it reads the built site, else ``unit``."""
    own = [name for name in TIER_MARKERS if item.get_closest_marker(name)]
    if own:
        return own[0]
    if "built_site" in getattr(item, "fixturenames", ()):
        return "site"
    return "unit"


#: The files whose tests take longest (the slow tier's, then the default tier's; .ci/run prints the durations): handed to the workers
#: first, so the short files fill in behind them. xdist hands out whole files in collection order
#: (``--no-loadscope-reorder`` in pyproject.toml); by its default order, by number of tests, the longest file
#: could start last and keep one worker busy alone.
LONGEST_FIRST = (
    "test_build",
    "test_pdf",
    "test_browser",
    "test_release",
    "test_gauntlet",
    "test_verify",
    "test_hostile",
)


def longest_first(item) -> int:
    name = item.module.__name__.rsplit(".", 1)[-1]
    return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(config, items):
    items.sort(key=longest_first)  # stable: each file keeps its own order
    slow_wanted = config.getoption("--slow")
    kept, left_out = [], []
    for item in items:
        tier = tier_of(item)
        if not item.get_closest_marker(tier):
            item.add_marker(getattr(pytest.mark, tier))
        (left_out if tier == "slow" and not slow_wanted else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
    config._infraclusters_slow_left_out = len(left_out)


def pytest_report_header(config):
    if config.getoption("--slow"):
        return "tiers: unit, extension, site and slow (--slow)"
    return "tiers: unit, extension, site (the slow tier needs --slow: python -m pytest --slow)"


def pytest_terminal_summary(terminalreporter, config):
    left_out = getattr(config, "_infraclusters_slow_left_out", 0)
    if left_out:
        terminalreporter.write_line(
            f"slow tier not run: {left_out} tests (scratch builds, papermill, Chromium, PDF, release); "
            "python -m pytest --slow runs them, as CI does"
        )


@pytest.fixture(autouse=True)
def _no_build_handover_leaks(monkeypatch):
    """Each test starts without the build's hand-over variable (an in-process build sets it for its kernels)."""
    from infraclusters.handover import ENV

    monkeypatch.delenv(ENV, raising=False)
