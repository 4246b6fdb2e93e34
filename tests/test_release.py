"""``python -m infraclusters release --out DIR``: source archive, sites, data zip, checksums, Zenodo metadata."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest
from conftest import JUPYTER_BOOK, PAPER_CANDIDATES, ROOT, need

from infraclusters.book import release
from infraclusters.text.citation import BOOK_VERSION

pytestmark = pytest.mark.book
STEM = f"infraclusters-{BOOK_VERSION}"


@pytest.fixture(scope="module")
def released(built_site, tmp_path_factory):
    from conftest import ZH_SITE

    assert (ZH_SITE / "index.html").is_file()
    out = tmp_path_factory.mktemp("release") / "out"
    written = release.release(out, ROOT, build=False, pdf=False)
    return out, written


def test_every_part_is_there_and_the_checksums_hold(released):
    out, written = released
    names = {p.name for p in out.iterdir()}
    assert names == {f"{STEM}-source.tar.gz", f"{STEM}-site.zip", f"infraclusters-data-{BOOK_VERSION}.zip",
                     ".zenodo.json", "SHA256SUMS"}  # fmt: skip
    sums = dict(line.split("  ")[::-1] for line in (out / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    assert set(sums) == names - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    zenodo = json.loads((out / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo["version"] == BOOK_VERSION and zenodo["creators"] and zenodo["upload_type"] == "software"
    assert any("依托创新基础设施集群培育未来产业的思考" in ref for ref in zenodo["references"])
    with zipfile.ZipFile(out / f"{STEM}-site.zip") as site:
        files = set(site.namelist())
    for page in (
        "index.html",
        "zh_CN/index.html",
        "notebooks/chapters/mechanisms.ipynb",
        "figures/fig-mechanism-map.docx",
    ):
        assert f"{STEM}-site/{page}" in files, page
    assert not any("/jupyter_execute/" in name for name in files)
    with zipfile.ZipFile(out / f"infraclusters-data-{BOOK_VERSION}.zip") as data:
        inside = {name.split("/", 1)[1] for name in data.namelist()}
        readme = data.read(f"infraclusters-data-{BOOK_VERSION}/README.md").decode("utf-8")
    tables = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    assert {f"data/{t['path']}" for t in tables} <= inside and "data/datapackage.json" in inside
    assert "references.bib" in inside and "LICENSE-CONTENT.md" in inside
    assert BOOK_VERSION in readme and "CC BY 4.0" in readme and "Huang" in readme


def test_a_release_is_byte_for_byte_the_same_twice(released, tmp_path):
    out, _ = released
    again = release.release(tmp_path / "again", ROOT, build=False, pdf=False)
    for path in again.values():
        assert path.read_bytes() == (out / path.name).read_bytes(), path.name


def test_a_release_never_writes_into_a_folder_that_holds_files(tmp_path):
    (tmp_path / "mine.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        release.release(tmp_path, ROOT, build=False, pdf=False)
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_the_source_archive_unpacked_elsewhere_builds_and_passes_its_unit_tests(released, tmp_path):
    out, _ = released
    with tarfile.open(out / f"{STEM}-source.tar.gz") as archive:
        names = archive.getnames()
        archive.extractall(tmp_path, filter="data")
    book = tmp_path / STEM
    assert not any(name.split("/")[1] in (".git", "_build", ".venv") for name in names)
    assert (book / "README.md").is_file() and (book / "src" / "infraclusters" / "cli.py").is_file()
    paper = next((p for p in PAPER_CANDIDATES if p.is_file()), None)
    need(paper is not None, "the paper's text, which the archive does not ship (it is the authors')")
    shutil.copy(paper, book / "paper.txt")
    env = {**os.environ, "PYTHONPATH": str(book / "src")}  # the archive's own package, not the checkout's
    built = subprocess.run([JUPYTER_BOOK, "build", "."], cwd=book, env=env, capture_output=True, text=True)
    assert built.returncode == 0, (built.stdout + built.stderr)[-3000:]
    assert (book / "_build" / "html" / "notebooks" / "chapters" / "mechanisms.ipynb").is_file()
    tested = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-m", "unit", "-p", "no:cacheprovider"],
        cwd=book,
        env=env,
        capture_output=True,
        text=True,
    )
    assert tested.returncode == 0, tested.stdout[-3000:]


def test_zenodo_metadata_comes_from_citation_cff(tmp_path):
    shutil.copy(ROOT / "CITATION.cff", tmp_path / "CITATION.cff")
    text = (tmp_path / "CITATION.cff").read_text(encoding="utf-8").replace("version: 0.1.0", "version: 9.9.9")
    (tmp_path / "CITATION.cff").write_text(text, encoding="utf-8")
    assert release.zenodo(tmp_path)["version"] == "9.9.9"
