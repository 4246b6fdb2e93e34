"""``python -m infraclusters release --out DIR``: source archive, sites, data zip, checksums, Zenodo metadata."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import JUPYTER_BOOK, ROOT

from infraclusters.book import release
from infraclusters.text.citation import BOOK_VERSION

pytestmark = pytest.mark.slow  # see the tiers in conftest.py
STEM = f"infraclusters-{BOOK_VERSION}"
SPHINX_BUILD = str(Path(sys.executable).with_name("sphinx-build"))


#: Proxy-aware clients outside Python (vl-convert's, a downloader's) are sent to a closed port.
OFFLINE_PROXIES = {
    name: "http://127.0.0.1:9"
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
} | {"no_proxy": "127.0.0.1,localhost,::1", "NO_PROXY": "127.0.0.1,localhost,::1"}

GUARD = """
import os, socket
_log = os.environ.get("INFRACLUSTERS_NET_LOG")
def _note(line):
    if _log:
        with open(_log, "a", encoding="utf-8") as handle:
            handle.write(line + "\\n")
_note(f"loaded {os.getpid()}")
def _local(address):
    host = address[0] if isinstance(address, tuple) and address else None
    return host is None or str(host) in ("localhost", "::1", "0.0.0.0") or str(host).startswith("127.")
def _guarded(original):
    def connect(self, address, *rest):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address):
            _note(f"refused {address!r}")
            raise OSError(101, "the network is cut for this test")
        return original(self, address, *rest)
    return connect
socket.socket.connect = _guarded(socket.socket.connect)
socket.socket.connect_ex = _guarded(socket.socket.connect_ex)
_getaddrinfo = socket.getaddrinfo
def getaddrinfo(host, *args, **kwargs):
    if host is not None and not _local((host,)):
        _note(f"refused lookup {host!r}")
        raise socket.gaierror(-2, "the network is cut for this test")
    return _getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = getaddrinfo
"""


def offline_guard(folder):
    """A ``sitecustomize`` that refuses, and logs, every connection and name lookup off this machine, in
    every Python process started with it on ``PYTHONPATH`` (the build, its kernels, its workers)."""
    folder.mkdir(parents=True)
    (folder / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = folder / "network.log"
    log.write_text("", encoding="utf-8")
    return folder, log


@pytest.mark.unit
def test_the_offline_guard_refuses_and_logs_a_connection_off_the_machine(tmp_path):
    guard, log = offline_guard(tmp_path / "guard")
    probe = (
        "import socket\n"
        "for attempt in (lambda: socket.create_connection(('example.org', 80), timeout=1),\n"
        "                lambda: socket.socket().connect(('93.184.216.34', 80))):\n"
        "    try:\n        attempt()\n    except OSError as e:\n        print(e)"
    )
    env = {**os.environ, "INFRACLUSTERS_NET_LOG": str(log), "PYTHONPATH": str(guard)}
    ran = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert ran.stdout.count("cut for this test") == 2, ran.stdout + ran.stderr
    record = log.read_text(encoding="utf-8")
    assert "loaded" in record and "refused lookup 'example.org'" in record and "refused ('93.184.216.34', 80)" in record


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
                     f"{STEM}-figures.json", ".zenodo.json", "SHA256SUMS"}  # fmt: skip
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


def test_a_release_records_every_figure_of_both_editions_in_the_release_and_the_source(released, built_site):
    from conftest import ZH_SITE, compendium

    from infraclusters.figures import figure_ids

    out, _ = released
    manifest = json.loads((out / f"{STEM}-figures.json").read_text(encoding="utf-8"))
    assert manifest["version"] == BOOK_VERSION and set(manifest["figures"]) == {"en", "zh_CN"}
    for language, site in (("en", built_site), ("zh_CN", ZH_SITE)):
        recorded = manifest["figures"][language]
        assert set(recorded) == set(figure_ids(compendium()))
        for figure_id, entry in recorded.items():  # the id each site shows and cites
            assert entry["id"] in (site / "figures" / f"{figure_id}.txt").read_text(encoding="utf-8")
            assert {"chart code", "model code"} <= set(entry["inputs"])
            assert ("translation" in entry["inputs"]) == (language == "zh_CN")
        assert "table:mechanism_nodes" in recorded["fig-mechanism-map"]["inputs"]
    assert (
        manifest["figures"]["en"]["fig-mechanism-map"]["id"] != manifest["figures"]["zh_CN"]["fig-mechanism-map"]["id"]
    )
    with tarfile.open(out / f"{STEM}-source.tar.gz") as archive:
        inside = archive.extractfile(f"{STEM}/releases/{BOOK_VERSION}.json").read()
    assert inside == (out / f"{STEM}-figures.json").read_bytes()


def test_a_release_is_byte_for_byte_the_same_twice(released, tmp_path):
    out, _ = released
    again = release.release(tmp_path / "again", ROOT, build=False, pdf=False)
    for path in again.values():
        assert path.read_bytes() == (out / path.name).read_bytes(), path.name


@pytest.mark.unit
def test_a_release_never_writes_into_a_folder_that_holds_files(tmp_path):
    (tmp_path / "mine.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        release.release(tmp_path, ROOT, build=False, pdf=False)
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_the_source_archive_unpacked_elsewhere_builds_with_plain_sphinx_offline_and_passes_its_unit_tests(
    released, tmp_path
):
    """The source archive (no ``.git``, no paper) is a book on its own: built with plain ``sphinx-build`` from the
    configuration ``jupyter-book config sphinx`` writes (no lock-in to Jupyter Book 1, which pins Sphinx 7), strictly,
    with every connection off the machine refused, by the archive's own package; its colophon knows the version
    but no commit; and the unit tests of its data, quotations and layers pass there without the paper's text
    (they read the committed fingerprint)."""
    out, _ = released
    with tarfile.open(out / f"{STEM}-source.tar.gz") as archive:
        names = archive.getnames()
        archive.extractall(tmp_path, filter="data")
    book = tmp_path / STEM
    assert not any(name.split("/")[1] in (".git", "_build", ".venv") for name in names)
    assert not any(name.endswith("paper.txt") for name in names), "the paper is the authors': never shipped"
    assert (book / "README.md").is_file() and (book / "src" / "infraclusters" / "cli.py").is_file()
    guard, log = offline_guard(tmp_path / "guard")
    env = {**os.environ, **OFFLINE_PROXIES, "INFRACLUSTERS_NET_LOG": str(log),
           "PYTHONPATH": f"{guard}{os.pathsep}{book / 'src'}"}  # the archive's own package; the network cut  # fmt: skip
    subprocess.run([JUPYTER_BOOK, "config", "sphinx", "."], cwd=book, env=env, check=True, capture_output=True)
    site = book / "_build" / "html"
    command = [SPHINX_BUILD, "-W", "-n", "--keep-going", "-q", "-b", "html", ".", str(site)]
    built = subprocess.run(command, cwd=book, env=env, capture_output=True, text=True)
    assert built.returncode == 0, (built.stdout + built.stderr)[-3000:]
    record = log.read_text(encoding="utf-8").splitlines()
    assert len({line for line in record if line.startswith("loaded")}) >= 2, record  # the build and its kernels
    assert not [line for line in record if line.startswith("refused")], record
    colophon = (site / "chapters" / "colophon.html").read_text(encoding="utf-8")
    assert f"Version {BOOK_VERSION} (from CITATION.cff)" in colophon and "no commit is known" in colophon
    assert (site / "figures" / "fig-mechanism-map.vl.json").is_file(), "the downloads are part of the site"
    assert 'id="altair-viz-fig-mechanism-map"' in (site / "chapters" / "mechanisms.html").read_text(encoding="utf-8")
    assert (site / "notebooks" / "chapters" / "mechanisms.ipynb").is_file()
    # The unit tests that read what an archive lacks or changes: the paper's text (its fingerprint stands in),
    # the data and its sources, the layers of the package. (The whole unit tier runs in the checkout.)
    archive_tests = ["tests/test_data.py", "tests/test_roles.py", "tests/test_claimreview.py", "tests/test_layers.py"]
    tested = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-x", "-m", "unit", "-p", "no:cacheprovider", *archive_tests],
        cwd=book,
        env={**env, "CI": ""},  # a reader's machine: what is missing skips, as the README says
        capture_output=True,
        text=True,
    )
    assert tested.returncode == 0, tested.stdout[-3000:]
    assert "PASSED tests/test_data.py::test_every_chinese_quotation_is_the_papers_exact_text" in tested.stdout
    assert re.search(r"SKIPPED .*the paper's text is not here", tested.stdout), (
        "the text was absent, as in a user's copy"
    )


@pytest.mark.unit
def test_zenodo_metadata_comes_from_citation_cff(tmp_path):
    shutil.copy(ROOT / "CITATION.cff", tmp_path / "CITATION.cff")
    text = (tmp_path / "CITATION.cff").read_text(encoding="utf-8").replace("version: 0.1.0", "version: 9.9.9")
    (tmp_path / "CITATION.cff").write_text(text, encoding="utf-8")
    assert release.zenodo(tmp_path)["version"] == "9.9.9"
