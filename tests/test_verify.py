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
from infraclusters.figures.export import draw, footer_lines, picture_hash, png_with_provenance
from infraclusters.figures.registry import build, get, spec
from infraclusters.figures.verify import ALTERED, DIFFERS, MATCH, NO_PROVENANCE, NOT_A_FIGURE, exit_status, verify

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


def _huge_png() -> bytes:
    """A small file that declares 30000 × 30000 pixels (a decompression bomb)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


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
        "deep.vl.json": b"[" * 200_000 + b"]" * 200_000,
        "bomb.png": _huge_png(),
        "empty.docx": b"PK\x05\x06" + b"\0" * 18,
        "fig-mechanism-map@0.1.0+1234567": b"a file named like an id is a file",
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


# The picture itself: doctored, forged, stripped, re-encoded and Office copies each get the right answer.


def _with_fields(image, fields, path):
    info = PngImagePlugin.PngInfo()
    for key, value in fields.items():
        info.add_itxt(key, value)
    image.save(path, pnginfo=info)
    return path


@pytest.fixture(scope="module")
def original(exported):
    with Image.open(exported / f"{FIGURE}.png") as image:
        image.load()
        return image.convert("RGBA"), dict(image.text)


def test_a_doctored_picture_is_altered_even_when_it_keeps_every_field(original, exported, tmp_path):
    from PIL import ImageDraw

    image, fields = original
    one_pixel = image.copy()
    one_pixel.putpixel((100, 100), (255, 0, 0, 255))
    erased = image.copy()
    ImageDraw.Draw(erased).rectangle((200, 200, 600, 240), fill="white")
    red = Image.new("RGBA", (400, 200), "red")
    svg = (exported / f"{FIGURE}.svg").read_text(encoding="utf-8")
    assert "Source innovation" in svg
    (tmp_path / "label.svg").write_text(svg.replace("Source innovation", "Fake innovation", 1), encoding="utf-8")
    paths = [
        _with_fields(im, fields, tmp_path / f"{n}.png")
        for n, im in (("px", one_pixel), ("erased", erased), ("red", red))
    ]
    findings = verify([*paths, tmp_path / "label.svg"], compendium(), ROOT)
    assert [(f.status, f.word) for f in findings] == [(DIFFERS, ALTERED)] * 4, findings
    assert all("do not cite" in f.message for f in findings)


def test_a_forgery_that_recomputes_the_picture_hash_is_caught_by_redrawing(original, tmp_path):
    image, fields = original
    forged = image.copy()
    forged.putpixel((5, 5), (0, 0, 0, 255))
    path = _with_fields(forged, fields | {"Picture": picture_hash(forged)}, tmp_path / f"{FIGURE}.png")
    [finding] = verify([path], compendium(), ROOT)
    assert (finding.status, finding.word) == (DIFFERS, ALTERED), finding
    assert "not what that version draws" in finding.message


def test_a_stripped_copy_is_told_how_to_check_it_and_then_checked_by_its_footer_id(original, tmp_path):
    from PIL import ImageDraw

    image, fields = original
    image.save(tmp_path / "stripped.png")
    half = (image.width // 2, image.height // 2)
    image.resize(half, Image.Resampling.BICUBIC).save(tmp_path / "half.png")
    image.convert("RGB").save(tmp_path / "copy.jpg", quality=85)
    erased = image.copy()
    ImageDraw.Draw(erased).rectangle((200, 200, 600, 240), fill="white")
    erased.resize(half, Image.Resampling.BICUBIC).save(tmp_path / "half-erased.png")

    [alone] = verify([tmp_path / "stripped.png"], compendium(), ROOT)
    assert (alone.status, alone.word) == (NOT_A_FIGURE, NO_PROVENANCE)
    assert "--id" in alone.message and "footer" in alone.message

    names = ["stripped.png", "half.png", "copy.jpg", "half-erased.png"]
    findings = verify([tmp_path / n for n in names], compendium(), ROOT, fields["Identifier"])
    assert [f.status for f in findings] == [MATCH, MATCH, MATCH, DIFFERS], findings
    assert "pixel for pixel" in findings[0].message and "resized or re-encoded" in findings[1].message


def test_the_books_word_and_powerpoint_files_are_checked_through_their_picture(exported, original, tmp_path):
    import zipfile

    findings = verify([exported / f"{FIGURE}.docx", exported / f"{FIGURE}.pptx"], compendium(), ROOT)
    assert [f.status for f in findings] == [MATCH, MATCH], findings
    image, fields = original
    doctored = image.copy()
    doctored.putpixel((100, 100), (255, 0, 0, 255))
    picture = _with_fields(doctored, fields, tmp_path / "doctored.png").read_bytes()
    with zipfile.ZipFile(exported / f"{FIGURE}.docx") as source, zipfile.ZipFile(tmp_path / "x.docx", "w") as target:
        for member in source.infolist():
            data = source.read(member)
            target.writestr(member, picture if member.filename.startswith("word/media/") else data)
    [finding] = verify([tmp_path / "x.docx"], compendium(), ROOT)
    assert (finding.status, finding.word) == (DIFFERS, ALTERED), finding


def test_an_id_alone_says_whether_today_draws_that_version(original, capsys):
    _, fields = original
    good, bad = fields["Identifier"], fields["Identifier"][:-7] + "0000000"
    assert main(["verify", good]) == 0
    assert main(["verify", bad]) == 1
    assert "today's sources draw" in capsys.readouterr().out


def test_a_picture_unchanged_above_its_footer_is_no_false_alarm(original, tmp_path):
    """Only data not drawn (a tooltip's key) changed: the old id differs, the picture does not."""
    c, ed = compendium(), Edition("en")
    _, fields = original
    old = fields["Identifier"][:-7] + "0000000"
    _, png = draw(spec(build(FIGURE, c, ed)), footer_lines(get(FIGURE, c, ed), {"Identifier": old}, ed))
    inputs = json.loads(fields["Inputs"])
    inputs["table:mechanism_nodes"] = "0" * 12
    meta = {k: v for k, v in fields.items() if k != "Picture"} | {"Identifier": old, "Inputs": json.dumps(inputs)}
    (tmp_path / "old.png").write_bytes(png_with_provenance(png, meta))
    [finding] = verify([tmp_path / "old.png"], compendium(), ROOT)
    assert finding.status == MATCH, finding
    assert "above its footer" in finding.message and "mechanism_nodes.csv" in finding.message


def test_the_inputs_recorded_do_not_depend_on_what_was_computed_before():
    """A fresh compendium and one that drew every other figure first record the same inputs, and each
    figure records every table its Source line names."""
    from infraclusters.figures.registry import figure_ids
    from infraclusters.model import Compendium

    ed = Edition("en")
    checked = ["fig-category-stage-matrix", "fig-compare-coverage", "fig-case-hefei-binhu-timeline"]
    fresh = {f: versions.inputs(f, Compendium(ROOT / "data", ROOT), ed) for f in checked}
    warm = Compendium(ROOT / "data", ROOT)
    for figure_id in figure_ids(warm):
        build(figure_id, warm, ed)
    for figure_id in checked:
        assert versions.inputs(figure_id, warm, ed) == fresh[figure_id], figure_id
        named = {s[5:-4] for s in get(figure_id, warm, ed).sources if s.startswith("data/")}
        assert {f"table:{n}" for n in named} <= set(fresh[figure_id]), figure_id
    assert "table:facility_types" in fresh["fig-category-stage-matrix"]


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
