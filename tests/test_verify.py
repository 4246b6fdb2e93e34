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
