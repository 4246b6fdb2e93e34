"""Hostile input, round three (issue 29): each class the red team found, closed with a test that failed before.

Translations are tested in ``test_i18n`` (markup, math, substitutions, links and placeholders a message lacks;
the Chinese build refusing them). Here: the temporary folder, a reader's directory, addresses, output
folders, sizes, concurrency, Unicode, and values people do not write.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from infraclusters.model import Compendium, layers, starter

BIB = """@misc{my_source_2025,
  title = {The page's headline}, author = {Outlet}, year = {2025}, date = {2025-05-01},
  url = {https://example.org/page}, urldate = {2025-06-01}, grade = {press}, note = {Outlet}
}
"""


@pytest.fixture()
def reader(tmp_path) -> Path:
    """A reader's directory from the starter, its example rows taken as theirs."""
    folder = tmp_path / "my-city"
    starter.write("my_city", folder, ROOT)
    for name in starter.TABLES:
        path = folder / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("\n# ", "\n"), encoding="utf-8")
    (folder / "references.bib").write_text(BIB, encoding="utf-8")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.update(title="My City inventory", contributors=[{"title": "A. Reader", "role": "author"}])
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


@pytest.fixture()
def shared_tmp(tmp_path, monkeypatch) -> Path:
    """A stand-in for the machine's shared /tmp."""
    folder = tmp_path / "shared-tmp"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


# --- 2. the shared temporary folder ------------------------------------------------------------------


def test_a_readers_rows_are_joined_in_a_folder_only_they_can_write(reader, shared_tmp):
    Compendium.open(reader, ROOT)
    where = layers.scratch(reader.resolve())
    mine = where.parents[1]
    assert mine.parent == shared_tmp and not mine.is_symlink()
    info = mine.lstat()
    assert info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) == 0o700
    assert (where / "clusters.csv").is_file()


def test_a_link_planted_in_the_shared_temporary_folder_is_never_written_through(reader, shared_tmp, tmp_path):
    """Another user makes the folder the package would use, with a link where a joined table goes: the
    victim's file stays as it was, and the reader's data is joined elsewhere."""
    victim = tmp_path / "bashrc"
    victim.write_text("the victim's own file\n", encoding="utf-8")
    planted = shared_tmp / f"infraclusters-{os.getuid()}"
    planted.mkdir()
    planted.chmod(0o777)  # open to everyone: not this user's private folder
    digest = hashlib.sha256(str(reader.resolve()).encode()).hexdigest()[:16]
    (planted / "layers" / digest).mkdir(parents=True)
    (planted / "layers" / digest / "clusters.csv").symlink_to(victim)
    old = shared_tmp / "infraclusters-layers" / digest  # where the package joined them before (round three)
    old.mkdir(parents=True)
    (old / "clusters.csv").symlink_to(victim)
    c = Compendium.open(reader, ROOT)
    assert "my_city" in set(c.clusters["cluster_id"])
    assert victim.read_text(encoding="utf-8") == "the victim's own file\n"
    assert not layers.scratch(reader.resolve()).is_relative_to(planted)


def test_a_link_in_the_private_folder_is_replaced_not_followed(reader, shared_tmp, tmp_path):
    victim = tmp_path / "elsewhere.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    Compendium.open(reader, ROOT)
    joined_table = layers.scratch(reader.resolve()) / "clusters.csv"
    joined_table.unlink()
    joined_table.symlink_to(victim)
    (reader / "clusters.csv").write_text(
        (reader / "clusters.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )  # touch: the join runs again
    layers.joined(reader.resolve(), layers.book_data(ROOT))
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert not joined_table.is_symlink() and "my_city" in joined_table.read_text(encoding="utf-8")


# --- 3. links and paths in a reader's directory ------------------------------------------------------


def problems_of(folder: Path) -> list[str]:
    from infraclusters.model import DataValidationError

    with pytest.raises(DataValidationError) as refused:
        Compendium.open(folder, ROOT)
    return [str(p) for p in refused.value.problems]


def test_a_linked_bibliography_is_refused_and_never_read(reader, tmp_path):
    secret = tmp_path / "id_rsa"
    secret.write_text("-----BEGIN PRIVATE KEY----- secret-material\n", encoding="utf-8")
    (reader / "references.bib").unlink()
    (reader / "references.bib").symlink_to(secret)
    found = problems_of(reader)
    assert any("references.bib" in p and "link" in p for p in found), found
    assert not any("secret-material" in p for p in found)
    joined_bib = layers.scratch(reader.resolve()) / "references.bib"
    assert not joined_bib.exists() or "secret-material" not in joined_bib.read_text(encoding="utf-8")


def test_a_linked_table_is_refused(reader, tmp_path):
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_bytes((reader / "facilities.csv").read_bytes())
    (reader / "facilities.csv").unlink()
    (reader / "facilities.csv").symlink_to(elsewhere)
    found = problems_of(reader)
    assert any("'facilities.csv' is a link" in p for p in found), found


@pytest.mark.parametrize("path", ["../../../../../../proc/self/environ", "/etc/passwd", "sub/../../x.csv"])
def test_a_descriptor_path_outside_the_directory_names_the_path_never_the_content(reader, path, monkeypatch):
    import json

    monkeypatch.setenv("MY_API_TOKEN", "tok-live-9f8e7d")
    descriptor = json.loads((reader / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "facilities":
            resource["path"] = path
    (reader / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    found = problems_of(reader)
    assert any(repr(path) in p and "inside the directory" in p for p in found), found
    text = "\n".join(found)
    assert "tok-live" not in text and "root:" not in text


# --- 4. addresses that are not web addresses --------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["javascript:window.__pwned=1", "JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>x</b>",
     "file:///etc/passwd", "vbscript:x", "//evil.example/x", "https://ok.example/\" onmouseover=\"x"],
)  # fmt: skip
def test_a_bibliography_links_only_web_addresses(url):
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    from infraclusters.book import citation_style

    citation_style.register_formatting(chinese=False)
    style = find_plugin("pybtex.style.formatting", citation_style.FORMAT_NAME)()
    bib = parse_string(
        "@misc{k, title = {A page}, author = {Outlet}, year = {2025}, url = {URL}}".replace("URL", url), "bibtex"
    )
    html = next(iter(style.format_entries(bib.entries.values()))).text.render_as("html")
    assert "<a " not in html and "href" not in html, html
    good = parse_string(
        "@misc{k, title = {A page}, author = {Outlet}, year = {2025}, url = {https://ok.example/p}}", "bibtex"
    )
    html = next(iter(style.format_entries(good.entries.values()))).text.render_as("html")
    assert 'href="https://ok.example/p"' in html


# --- 5. figures --out: a reader's files and the book's own folders ------------------------------------


def test_figures_never_overwrites_a_readers_files(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "fig-mechanism-map.png").write_bytes(b"my own picture")
    (out / "versions.json").write_text("{}", encoding="utf-8")
    code, _, err = run_cli("figures", "--out", str(out))
    assert code == 1 and "fig-mechanism-map.png" in err and "not written by the figures command" in err
    assert (out / "fig-mechanism-map.png").read_bytes() == b"my own picture"
    assert sorted(p.name for p in out.iterdir()) == ["fig-mechanism-map.png", "versions.json"]


@pytest.mark.parametrize("folder", [".", "data", "chapters", "src/infraclusters"])
def test_figures_never_writes_into_the_books_own_folders(folder):
    before = sorted(p.name for p in (ROOT / folder).iterdir())
    code, _, err = run_cli("figures", "--out", folder, cwd=ROOT)
    assert code == 1 and "the book's own folder" in err
    assert sorted(p.name for p in (ROOT / folder).iterdir()) == before


# --- 7. interruption and concurrency -----------------------------------------------------------------


def test_a_second_run_into_the_same_folder_stops_naming_the_first(tmp_path):
    from infraclusters.book import outputs

    out = tmp_path / "page"
    with outputs.exclusive(out, "case hefei_binhu"):
        with pytest.raises(FileExistsError) as second:
            with outputs.exclusive(out, "case my_city"):
                pass
        assert "case hefei_binhu (process" in str(second.value) and "nothing was changed" in str(second.value)
    with outputs.exclusive(out, "case my_city"):  # the first is done: the folder is free
        pass
    assert not (out / outputs.LOCK).exists()


def test_two_runs_never_share_a_staging_folder(tmp_path):
    from infraclusters.book import outputs

    first, second = outputs.new_staging(tmp_path), outputs.new_staging(tmp_path)
    assert first != second and first.parent == second.parent == tmp_path


def test_a_child_dies_with_its_parent(tmp_path):
    """A worker or build started by a command ends when the command is killed (kill -9): it writes no more."""
    import signal
    import subprocess
    import sys
    import time

    pid_file = tmp_path / "grandchild.pid"
    parent = (
        "import subprocess, sys, time\n"
        "from infraclusters.children import die_with_parent\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], preexec_fn=die_with_parent)\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(60)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", parent])
    for _ in range(100):
        if pid_file.is_file() and pid_file.read_text():
            break
        time.sleep(0.1)
    child = int(pid_file.read_text())
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    for _ in range(50):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the child outlived its killed parent")


# --- 6. limits, said in the error, and linear work ---------------------------------------------------


def test_a_bibliography_of_at_signs_is_read_in_linear_time_and_told_briefly(reader):
    import time

    from infraclusters.model import checks

    (reader / "references.bib").write_text(BIB + "@\n" * 200_000, encoding="utf-8")
    start = time.perf_counter()
    found = checks.bibliography_problems(reader / "references.bib")
    assert time.perf_counter() - start < 2
    assert len(found) == checks.MAX_BIB_PROBLEMS + 1 and "stopped after" in found[-1][1]
    assert found[0][0] == 5  # lines still counted right: the first '@' after the four-line entry


def test_a_huge_header_or_table_is_refused_with_the_limit(reader):
    header = (reader / "facilities.csv").read_text(encoding="utf-8").splitlines()[0]
    (reader / "facilities.csv").write_text(header + "," + ",".join(f"c{i}" for i in range(100_000)) + "\n")
    (reader / "relations.csv").write_text(
        (reader / "relations.csv").read_text(encoding="utf-8").splitlines()[0] + "\n" + "x,y,z,serves,,,s\n" * 2_500
    )
    found = problems_of(reader)
    assert any("100,0" in p and "columns" in p and f"{layers.MAX_COLUMNS} at most" in p for p in found), found
    assert any("2,500 rows" in p and f"{layers.MAX_ROWS:,} at most" in p for p in found), found


@pytest.mark.parametrize(
    ("title", "said"),
    [("x" * 1_000_000, "longer than a title"), ("My city\x07", "control character"), ("A\u2066B", "control character")],
)
def test_a_descriptor_title_that_every_figure_would_carry_is_checked(reader, title, said):
    import json

    descriptor = json.loads((reader / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["title"] = title
    (reader / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    found = problems_of(reader)
    assert any("column title" in p and said in p for p in found), found
    assert all(len(p) < 2_000 for p in found)


# --- 8. Unicode the gate let through; 10. values people do not write --------------------------------


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("Lab\u2067 evil\u2069", "invisible or control"),  # a bidi isolate (Trojan Source)
        ("\u3164", "invisible or control"),  # a Hangul filler: prints as nothing
        ("合肥\ufe00实验室", "invisible or control"),  # a variation selector
        ("松山湖\u2f95", "radical"),  # ⾕, the Kangxi radical, for 谷
        ("Cafe\u0301", "composed form"),  # NFD
    ],
)
def test_unicode_a_reader_cannot_see_is_refused(reader, value, said):
    path = reader / "facilities.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[3] = value  # name_en
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems_of(reader)
    assert any("name_en" in p and said in p for p in found), found


@pytest.mark.parametrize("year", ["2_020", "nan", "NaN", "inf", "2e3", "1,000"])
def test_a_number_written_as_no_person_writes_it_is_refused(reader, year):
    path = reader / "facilities.csv"
    header, first, *rest = path.read_text(encoding="utf-8").splitlines()
    columns = header.split(",")
    cells = next(__import__("csv").reader([first]))
    cells[columns.index("year")] = year
    import csv as _csv
    import io

    out = io.StringIO()
    _csv.writer(out, lineterminator="\n").writerow(cells)
    path.write_text("\n".join([header, out.getvalue().rstrip("\n"), *rest]) + "\n", encoding="utf-8")
    found = problems_of(reader)
    assert any("year" in p for p in found), found


def test_a_relation_from_an_entity_to_itself_is_refused(reader):
    path = reader / "relations.csv"
    header, first, *rest = path.read_text(encoding="utf-8").splitlines()
    columns = header.split(",")
    cells = first.split(",")
    cells[columns.index("to_id")] = cells[columns.index("from_id")]
    path.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", encoding="utf-8")
    found = problems_of(reader)
    assert any("to_id" in p and "own from_id" in p for p in found), found


def test_two_glossary_terms_that_look_the_same_are_refused(data_copy):
    """死亡谷 again, its 谷 written as the Kangxi radical ⾕ (as PDF text layers do): a second term no reader can
    tell from the first."""
    from infraclusters.model import DataValidationError

    path = data_copy / "glossary.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if line.startswith("death_valley,"))
    lines.append(row.replace("death_valley,死亡谷", "death_valley_2,死亡\u2f95", 1))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as refused:
        Compendium.open(data_copy, ROOT)
    assert any("look the same" in str(p) for p in refused.value.problems), refused.value.problems


# --- 9. tracebacks become messages ------------------------------------------------------------------


def test_new_cluster_on_a_disk_that_refuses_leaves_nothing_and_a_retry_works(tmp_path, monkeypatch):
    """A full or read-only disk mid-way: a message, no half-written folder in the way of the next try."""
    from infraclusters.model import starter

    real = Path.write_text
    calls = {"n": 0}

    def failing(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing)
    code, _, err = run_cli("new-cluster", "my_city", str(tmp_path / "city"))
    assert code == 2 or code == 1
    assert "No space left on device" in err and "nothing was left behind" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    monkeypatch.setattr(Path, "write_text", real)
    assert starter.write("my_city", tmp_path / "city", ROOT)
    assert (tmp_path / "city" / "datapackage.json").is_file()


def test_a_descriptor_nested_too_deep_is_a_message(reader):
    (reader / "datapackage.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    found = problems_of(reader)
    assert any("nested deeper" in p for p in found), found


def test_a_data_dir_parameter_that_is_no_folder_is_a_message(tmp_path):
    code, _, err = run_cli("run", "mechanisms", "--param", "data_dir=1", "--out", str(tmp_path / "out"))
    assert code in (1, 2) and "Traceback" not in err and "1" in err


def test_a_url_command_in_any_bibliography_field_links_only_the_web(tmp_path):
    """``\\url{javascript:…}`` inside a title, a note or howpublished became a live link on the page (the red
    team's second round): the page, built by Sphinx as the book builds it, links only the web addresses."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "book"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["infraclusters.book", "sphinxcontrib.bibtex"]\nbibtex_bibfiles = ["refs.bib"]\n'
        'infraclusters_exports = False\nnb_execution_mode = "off"\nbibtex_reference_style = "author_year_cjk"\n'
        'bibtex_default_style = "plain_graded"\n',
        encoding="utf-8",
    )
    entries = []
    for number, field in enumerate(("title", "howpublished", "note")):
        value = f"see \\url{{javascript:alert({number})}} and \\url{{https://ok.example/{number}}}"
        fields = {"title": "A page", field: value}
        body = ", ".join(f"{k} = {{{v}}}" for k, v in fields.items())
        entries.append(f"@misc{{k{number}, author = {{Outlet}}, year = {{202{number}}}, {body}}}")
    (src / "refs.bib").write_text("\n".join(entries) + "\n", encoding="utf-8")
    (src / "index.md").write_text("# P\n\n{cite:p}`k0,k1,k2`\n\n```{bibliography}\n```\n", encoding="utf-8")
    shutil.copytree(ROOT / "data", src / "data")
    shutil.copy(ROOT / "references.bib", src / "references.bib")  # the data's sources
    app = SphinxTestApp("html", srcdir=src, status=StringIO(), warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert 'href="javascript' not in html
    for number in range(3):
        assert f"javascript:alert({number})" in html and f'href="https://ok.example/{number}"' in html


def test_an_id_too_long_for_a_file_name_is_refused_at_the_gate(reader):
    """A 300-character cluster id passed validate, then figures failed with 'File name too long' (and left
    216 files behind): the gate now says so first."""
    import json

    long_id = "a" * 300
    for name in ("clusters", "facilities", "organisations", "roles", "relations"):
        path = reader / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("my_city", long_id), encoding="utf-8")
    descriptor = json.loads((reader / "datapackage.json").read_text(encoding="utf-8"))
    (reader / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    found = problems_of(reader)
    assert any("cluster_id" in p and "longer than an id" in p for p in found), found


def test_case_writes_only_into_a_folder_of_its_own(reader, tmp_path):
    """``case --out`` a folder holding a reader's notes (or their data directory itself) is refused, as the
    security page says, before any work."""
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes", encoding="utf-8")
    code, _, err = run_cli("case", "my_city", "--data-dir", str(reader), "--out", str(out))
    assert code == 1 and "notes.txt" in err and "nothing was changed" in err
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    code, _, err = run_cli("case", "my_city", "--data-dir", str(reader), "--out", str(reader))
    assert code == 1 and "datapackage.json" in err


def test_a_descriptor_of_the_wrong_shape_is_a_message(reader):
    import json

    for broken in ({"resources": 5}, {"contributors": 5}, {"resources": [{"name": ["clusters"]}]}):
        descriptor = json.loads((reader / "datapackage.json").read_text(encoding="utf-8"))
        descriptor.update(broken)
        (reader / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
        assert problems_of(reader), broken


def test_a_licence_name_with_a_control_character_is_refused(reader):
    import json

    descriptor = json.loads((reader / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["licenses"] = [{"name": "L\u001b[31mRED"}]
    (reader / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert any("licenses[0].name" in p and "control character" in p for p in problems_of(reader))


def test_a_linked_table_in_a_full_data_package_is_named_never_read(tmp_path):
    """Not only a directory laid over the book's: any data package's table must be a plain file inside it."""
    import json

    folder = tmp_path / "pkg"
    folder.mkdir()
    secret = tmp_path / "s.env"
    secret.write_text("a\nSECRET_TOKEN=ghp_abc123\n", encoding="utf-8")
    (folder / "t.csv").symlink_to(secret)
    schema = {"fields": [{"name": "a", "type": "integer"}], "primaryKey": ["a"]}
    resources = [
        {"name": "s", "path": "t.csv", "schema": schema},
        {"name": "p", "path": "/etc/passwd", "schema": schema},
    ]
    (folder / "datapackage.json").write_text(json.dumps({"name": "x", "resources": resources}), encoding="utf-8")
    code, out, err = run_cli("validate", str(folder))
    assert code == 1 and "Traceback" not in err
    assert "SECRET_TOKEN" not in out + err and "root:" not in out + err
    assert "'t.csv' is a link" in err and "'/etc/passwd' must name a file inside" in err


def test_a_bibliography_of_unclosed_entries_is_read_in_linear_time(reader):
    """'@a{' 64,000 times (192 KB): the key pattern backtracked over the rest of the file at every '@'."""
    import time

    from infraclusters.model import package

    (reader / "references.bib").write_text(BIB + "\n" + "@a{" * 64_000, encoding="utf-8")
    start = time.perf_counter()
    keys = package.bibliography_keys(reader, ROOT)
    problems_of(reader)
    assert time.perf_counter() - start < 10
    assert "my_source_2025" in keys
