"""``python -m infraclusters verify FILE…``: versioned figure ids, and whether a downloaded figure still holds."""

from __future__ import annotations

import io
import json
import re

import pytest
from conftest import ROOT, compendium
from PIL import Image, PngImagePlugin

from infraclusters.cli import main
from infraclusters.edition import Edition
from infraclusters.figures import export, versions
from infraclusters.figures.verify import DIFFERS, MATCH, NOT_A_FIGURE, exit_status, verify

FIGURE = "fig-mechanism-map"
SUFFIXES = ("png", "svg", "csv", "vl.json")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("exported")
    export(FIGURE, out, compendium(), Edition("en"))
    return out


def files(folder):
    return [folder / f"{FIGURE}.{suffix}" for suffix in SUFFIXES]


def test_every_export_names_the_same_versioned_id_the_hash_of_its_spec(exported):
    text = (exported / f"{FIGURE}.vl.json").read_text(encoding="utf-8")
    expected = f"{FIGURE}@{versions.BOOK_VERSION}+{versions.content_hash(text)}"
    assert re.fullmatch(r"fig-mechanism-map@\d+\.\d+\.\d+\+[0-9a-f]{7}", expected)
    assert f"[figure {expected}]" in (exported / f"{FIGURE}.txt").read_text(encoding="utf-8")
    assert expected in (exported / f"{FIGURE}.bib").read_text(encoding="utf-8")
    with Image.open(exported / f"{FIGURE}.png") as image:
        assert image.text["Identifier"] == expected
        assert set(json.loads(image.text["Inputs"])) >= {"table:mechanism_nodes", "chart code", "model code"}
    assert f"<dc:identifier>{expected}</dc:identifier>" in (exported / f"{FIGURE}.svg").read_text(encoding="utf-8")


def test_files_as_exported_match_todays_sources(exported):
    findings = verify(files(exported), compendium(), ROOT)
    assert [f.status for f in findings] == [MATCH] * 4, findings
    assert exit_status(findings) == 0


def test_an_edited_table_makes_each_file_differ_and_the_image_names_that_table(exported, data_copy):
    nodes = data_copy / "mechanism_nodes.csv"
    text = nodes.read_text(encoding="utf-8")
    nodes.write_text(text.replace(",Research infrastructure,", ",Research infrastructures,", 1), encoding="utf-8")
    findings = verify(files(exported), compendium(data_copy), ROOT)
    assert [f.status for f in findings] == [DIFFERS] * 4, findings
    for image in findings[:2]:
        assert "the data table mechanism_nodes.csv" in image.message, image
        assert "chart code" not in image.message and "claims.csv" not in image.message
    assert "cannot be told" in findings[2].message and "cannot be told" in findings[3].message
    assert exit_status(findings) == 1


def test_a_changed_chart_code_fingerprint_is_named(exported, tmp_path):
    with Image.open(exported / f"{FIGURE}.png") as image:
        fields = dict(image.text)
        info = PngImagePlugin.PngInfo()
        inputs = json.loads(fields["Inputs"])
        inputs["chart code"] = "0" * 12
        fields["Inputs"] = json.dumps(inputs)
        fields["Identifier"] = fields["Identifier"][:-7] + "0000000"
        for key, value in fields.items():
            info.add_itxt(key, value)
        image.save(tmp_path / "old.png", pnginfo=info)
    [finding] = verify([tmp_path / "old.png"], compendium(), ROOT)
    assert finding.status == DIFFERS
    assert finding.message.split("changed since: ")[1].startswith("the chart code"), finding


def test_files_that_are_no_figure_of_this_book_say_so_without_a_traceback(tmp_path):
    plain = io.BytesIO()
    Image.new("RGB", (4, 4)).save(plain, format="PNG")
    cases = {
        "photo.png": plain.getvalue(),
        "fake.png": b"not a png at all",
        "bomb.svg": b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg>&b;</svg>',
        "other.vl.json": b'{"$schema": "https://vega.github.io/schema/vega/v5.json"}',
        "broken.vl.json": b"{",
        "table.csv": b"a,b\n1,2\n",
        "fig-no-such-figure.csv": b"a\n",
        "notes.txt": b"hello",
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    paths = [tmp_path / name for name in cases] + [tmp_path / "missing.png"]
    findings = verify(paths, compendium(), ROOT)
    assert [f.status for f in findings] == [NOT_A_FIGURE] * len(paths), findings
    assert exit_status(findings) == 2


def test_the_command_exits_0_1_or_2(exported, tmp_path, capsys):
    assert main(["verify", *map(str, files(exported))]) == 0
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    assert main(["verify", str(exported / f"{FIGURE}.png"), str(tmp_path / "x.txt")]) == 2
    spec = json.loads((exported / f"{FIGURE}.vl.json").read_text(encoding="utf-8"))
    spec["width"] = 1
    (tmp_path / f"{FIGURE}.vl.json").write_text(json.dumps(spec), encoding="utf-8")
    assert main(["verify", str(tmp_path / f"{FIGURE}.vl.json")]) == 1
    assert "differs" in capsys.readouterr().out


# What changed between releases: the manifests a release records, compared.
OTHER = "fig-concept-milestones"  # reads no mechanism table


def manifest_of(folder, c):
    export(FIGURE, folder, c, Edition("en"))
    export(OTHER, folder, c, Edition("en"))
    return json.loads(versions.write_manifest(folder, [FIGURE, OTHER]).read_text(encoding="utf-8"))


def test_a_release_manifest_tells_which_figure_changed_and_which_input_moved(tmp_path, data_copy):
    before = manifest_of(tmp_path / "then", compendium())
    nodes = data_copy / "mechanism_nodes.csv"
    nodes.write_text(
        nodes.read_text(encoding="utf-8").replace(",Research infrastructure,", ",Research infrastructures,", 1),
        encoding="utf-8",
    )
    now = manifest_of(tmp_path / "now", compendium(data_copy))
    changes = {change.figure_id: change for change in versions.compare(before, now)}
    assert changes[OTHER].status == versions.UNCHANGED and changes[OTHER].before == changes[OTHER].now
    moved = changes[FIGURE]
    assert moved.status == versions.CHANGED and moved.before != moved.now
    assert moved.inputs == ("table:mechanism_nodes",)
    assert versions.compare(before, before) == [
        versions.Change(f, versions.UNCHANGED, before[f]["id"], before[f]["id"]) for f in sorted(before)
    ]
    only_one = {FIGURE: before[FIGURE]}
    assert [(c.figure_id, c.status) for c in versions.compare(only_one, now)] == [
        (OTHER, versions.NEW),
        (FIGURE, versions.CHANGED),
    ]


def test_new_and_removed_figures_are_told_apart():
    a = {"fig-a": {"id": "fig-a@0.1.0+1111111", "inputs": {}}, "fig-b": {"id": "fig-b@0.1.0+2222222", "inputs": {}}}
    b = {"fig-b": {"id": "fig-b@0.2.0+2222222", "inputs": {}}, "fig-c": {"id": "fig-c@0.2.0+3333333", "inputs": {}}}
    assert [(c.figure_id, c.status) for c in versions.compare(a, b)] == [
        ("fig-a", versions.REMOVED),
        ("fig-b", versions.UNCHANGED),  # the same hash under a new version: what it shows has not moved
        ("fig-c", versions.NEW),
    ]


def test_the_previous_release_is_the_latest_recorded_before_the_books_version(tmp_path):
    assert versions.previous_release(tmp_path, "0.3.0") is None
    (tmp_path / "releases").mkdir()
    for version in ("0.1.0", "0.2.0", "0.10.0", "0.3.0"):
        (tmp_path / "releases" / f"{version}.json").write_text(
            json.dumps({"version": version, "figures": {}}), encoding="utf-8"
        )
    assert versions.previous_release(tmp_path, "0.3.0")["version"] == "0.2.0"  # not itself, not a later one
    assert versions.previous_release(tmp_path, "0.11.0")["version"] == "0.10.0"  # numbers, not text, are compared
    assert versions.previous_release(tmp_path, "0.1.0") is None


def test_the_what_changed_page_names_the_changed_figure_and_why_in_each_edition():
    from infraclusters.book.directives import changes_markdown

    now = {
        FIGURE: {"id": f"{FIGURE}@0.2.0+bbbbbbb", "inputs": {"table:mechanism_nodes": "2", "chart code": "1"}},
        OTHER: {"id": f"{OTHER}@0.2.0+ccccccc", "inputs": {"table:milestones": "1"}},
    }
    then = {
        FIGURE: {"id": f"{FIGURE}@0.1.0+aaaaaaa", "inputs": {"table:mechanism_nodes": "1", "chart code": "1"}},
        OTHER: {"id": f"{OTHER}@0.1.0+ccccccc", "inputs": {"table:milestones": "1"}},
        "fig-gone": {"id": "fig-gone@0.1.0+ddddddd", "inputs": {}},
    }
    previous = {"version": "0.1.0", "figures": {"en": then, "zh_CN": then}}
    english = changes_markdown(now, previous, Edition("en"), [OTHER, FIGURE])
    assert "2 of 3 figures changed, 1 are as they were" in english
    rows = [line for line in english.splitlines() if line.startswith("| ") and line.split()[1] not in ("---", "Figure")]
    assert len(rows) == 2 and "{numref}`fig-mechanism-map`" in rows[0]
    assert "aaaaaaa" in rows[0] and "bbbbbbb" in rows[0] and "the data table mechanism\\_nodes.csv" in rows[0]
    assert "chart code" not in rows[0] and OTHER not in english  # unchanged: not listed
    assert "fig-gone" in rows[1] and "removed" in rows[1] and "{numref}" not in rows[1]
    chinese = changes_markdown(now, previous, Edition("zh_CN"), [OTHER, FIGURE])
    assert "mechanism\\_nodes.csv" in chinese and "the data table" not in chinese and "removed" not in chinese
    first = changes_markdown(now, None, Edition("en"), [OTHER, FIGURE])
    assert "No earlier release" in first and first.index(OTHER) < first.index(FIGURE)


def test_a_recorded_release_stays_text_on_the_page():
    from infraclusters.book.directives import changes_markdown

    hostile = {"fig-x": {"id": "fig-x@0.1.0+1` <script>alert(1)</script> {download}`/etc/passwd`", "inputs": {}}}
    page = changes_markdown({}, {"version": "0.1.0", "figures": {"en": hostile}}, Edition("en"), [])
    assert "<script>" not in page and "{download}`" not in page
