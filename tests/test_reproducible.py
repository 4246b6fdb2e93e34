"""Executing the book twice gives byte-identical figure exports and the same glued numbers."""

from __future__ import annotations

import filecmp
import subprocess
import sys

import jupytext
import papermill
from conftest import DATA, ROOT


def test_figure_exports_are_byte_identical_across_runs(tmp_path):
    runs = []
    for name in ("first", "second"):  # two fresh processes: no counter or cache carries over
        out = tmp_path / name
        subprocess.run(
            [sys.executable, "-m", "infraclusters", "figures", "--out", str(out)], check=True, capture_output=True
        )
        runs.append(out)
    names = sorted(p.name for p in runs[0].iterdir() if p.is_file())
    assert names == sorted(p.name for p in runs[1].iterdir() if p.is_file())
    compared = [n for n in names if n.endswith((".vl.json", ".csv", ".svg", ".png", ".docx", ".pptx"))]
    assert len(compared) > 60
    differ = [n for n in compared if not filecmp.cmp(runs[0] / n, runs[1] / n, shallow=False)]
    assert differ == []


def _glued(tmp_path, name):
    notebook = jupytext.read(ROOT / "chapters" / "mechanisms.md")
    source = tmp_path / f"{name}.ipynb"
    jupytext.write(notebook, source)
    executed = papermill.execute_notebook(
        str(source),
        str(tmp_path / f"{name}-out.ipynb"),
        parameters={"data_dir": str(DATA)},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    values = {}
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            plain = [v for k, v in output.get("data", {}).items() if k.endswith("text/plain")]
            if key and plain:
                values[key] = plain[0]
    return values


def test_glued_numbers_are_the_same_across_runs(tmp_path):
    first, second = _glued(tmp_path, "first"), _glued(tmp_path, "second")
    assert len(first) > 10 and first == second
