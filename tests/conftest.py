"""Shared fixtures: the repository, the paper's text, a scratch copy of the data, the built site."""

from __future__ import annotations

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


def append_row(data_dir: Path, table: str, row: list) -> None:
    """Add one row to a table of a scratch data directory."""
    import csv

    with open(data_dir / f"{table}.csv", "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(row)


def render_case(cluster: str, data_dir: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    """``python -m infraclusters case CLUSTER --data-dir D --out O``, as a reader runs it."""
    command = [sys.executable, "-m", "infraclusters", "case", cluster, "--data-dir", str(data_dir), "--out", str(out)]
    command += list(options)
    return subprocess.run(command, capture_output=True, text=True)
