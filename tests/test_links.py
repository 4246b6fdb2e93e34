"""Every internal link, cross-reference, anchor and download of the built site resolves (offline)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow  # see the tiers in conftest.py

CONFIG = str(ROOT / "tools" / "linkcheckerrc")


def readable_copy(source: Path) -> Path:
    """A world-readable copy: run as root, LinkChecker drops to user nobody before reading files."""
    target = Path(tempfile.mkdtemp(prefix="infraclusters-links-")) / "site"
    shutil.copytree(source, target)
    for directory in [target.parent, target, *(p for p in target.rglob("*") if p.is_dir())]:
        os.chmod(directory, 0o755)
    for file in target.rglob("*"):
        if file.is_file():
            os.chmod(file, 0o644)
    return target


#: LinkChecker, run as root, drops to user ``nobody`` before it reads the site, and then cannot import its own
#: modules from a virtual environment that ``nobody`` may not read (a venv under /root, say). The check runs
#: as the user who started it instead, wherever the environment lives; the site is a readable copy anyway.
RUN_AS_INVOKER = (
    "import sys; import linkcheck.command.linkchecker as cli; cli.drop_privileges = lambda: None; "
    "sys.argv[0] = 'linkchecker'; sys.exit(cli.linkchecker())"
)


def check(start: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", RUN_AS_INVOKER, "-f", CONFIG, "--no-status", str(start)]
    return subprocess.run(command, capture_output=True, text=True)


def test_built_site_has_no_broken_internal_link(built_site):
    site = readable_copy(built_site)
    try:
        result = check(site / "index.html")
    finally:
        shutil.rmtree(site.parent)
    assert result.returncode == 0, result.stdout[-4000:]
    assert " 0 errors found" in result.stdout


def test_the_checker_does_catch_a_broken_link(tmp_path):
    (tmp_path / "index.html").write_text(
        '<html><body><a href="page.html">ok</a> <a href="missing.html">gone</a></body></html>', encoding="utf-8"
    )
    (tmp_path / "page.html").write_text("<html><body>here</body></html>", encoding="utf-8")
    site = readable_copy(tmp_path)
    try:
        result = check(site / "index.html")
    finally:
        shutil.rmtree(site.parent)
    assert result.returncode != 0 and " 1 error found" in result.stdout
