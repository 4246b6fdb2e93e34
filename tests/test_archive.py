"""A source archive (``git archive``, no ``.git``) builds with plain ``sphinx-build``: no lock-in to Jupyter Book 1.

jupyter-book 1.x is in maintenance mode and pins Sphinx 7. The configuration
``jupyter-book config sphinx`` writes is an ordinary ``conf.py``; this test
builds the book from it with ``sphinx-build`` alone, strictly, in a copy made
the way a release archive is made, and checks what the colophon then says.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from conftest import JUPYTER_BOOK, ROOT, need

pytestmark = pytest.mark.book

SPHINX_BUILD = str(Path(sys.executable).with_name("sphinx-build"))


@pytest.fixture(scope="module")
def archived_book(tmp_path_factory) -> Path:
    """The committed book, unpacked from ``git archive HEAD`` into a fresh folder."""
    if not (ROOT / ".git").exists():
        pytest.skip("this copy is itself a source archive: there is no git history to archive")
    need(shutil.which("git") is not None, "git, to make the archive")
    tar = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
    book = tmp_path_factory.mktemp("archive") / "book"
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(book, filter="data")
    assert not (book / ".git").exists()
    return book


def test_the_archive_builds_with_plain_sphinx_build_and_says_no_commit_is_known(archived_book):
    from infraclusters.text.citation import BOOK_VERSION

    subprocess.run([JUPYTER_BOOK, "config", "sphinx", str(archived_book)], check=True, capture_output=True)
    assert (archived_book / "conf.py").is_file()
    site = archived_book / "_build" / "html"
    result = subprocess.run(
        [SPHINX_BUILD, "-W", "-n", "--keep-going", "-q", "-b", "html", str(archived_book), str(site)],
        cwd=archived_book,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    colophon = (site / "chapters" / "colophon.html").read_text(encoding="utf-8")
    assert f"Version {BOOK_VERSION} (from CITATION.cff)" in colophon
    assert "no commit is known" in colophon
    assert (site / "figures" / "fig-mechanism-map.vl.json").is_file(), "the downloads are part of the site"
    assert 'id="altair-viz-fig-mechanism-map"' in (site / "chapters" / "mechanisms.html").read_text(encoding="utf-8")
