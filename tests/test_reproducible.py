"""Drawing the figures again, in another process, gives byte-identical exports.

The book build exported every figure (``_build/html/figures``); ``python -m infraclusters figures --out`` in a
fresh process must write the same bytes: no counter, cache, time or random id carries into a file. (That a
fresh kernel glues the same numbers as the build: ``test_rerun``, for every chapter.)
"""

from __future__ import annotations

import filecmp
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # see the tiers in conftest.py

KINDS = (".vl.json", ".csv", ".svg", ".png", ".docx", ".pptx", ".txt", ".bib")


def test_figure_exports_are_byte_identical_to_the_builds(built_site, tmp_path):
    out = tmp_path / "figures"
    result = subprocess.run(
        [sys.executable, "-m", "infraclusters", "figures", "--out", str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    built = built_site / "figures"
    names = sorted(p.name for p in out.iterdir() if p.is_file() and p.name.endswith(KINDS))
    assert names == sorted(p.name for p in built.iterdir() if p.is_file() and p.name.endswith(KINDS))
    assert len(names) > 60
    differ = [name for name in names if not filecmp.cmp(out / name, built / name, shallow=False)]
    assert differ == []
