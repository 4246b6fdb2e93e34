"""The figure registry and its exports: files, scale, data, citation, Chinese glyphs."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import altair as alt
import pytest
import vl_convert
from conftest import compendium
from PIL import Image

from infraclusters import figures
from infraclusters.figures import theme

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    result = subprocess.run(
        [sys.executable, "-m", "infraclusters", "figures", "--out", str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return out


def ink(png: bytes) -> int:
    """Number of pixels that are not (near) white."""
    image = Image.open(io.BytesIO(png)).convert("L")
    return sum(count for value, count in enumerate(image.histogram()) if value < 200)


def test_figure_ids_are_labels(c, ed):
    assert figures.FIGURES and figures.CASE_FIGURES
    for figure_id in figures.figure_ids(c):
        fig = figures.get(figure_id, c, ed)
        assert re.fullmatch(r"fig-[a-z0-9-]+", figure_id)
        assert fig.alt and fig.caption and fig.sources and CHINESE.search(fig.title_zh)


def test_unknown_figure_lists_known_ids(c, ed):
    with pytest.raises(KeyError, match="fig-category-stage-matrix"):
        figures.get("fig-nope", c, ed)


@pytest.mark.parametrize("figure_id", figures.figure_ids(compendium()))
def test_every_figure_builds_with_title_and_description(figure_id, c, ed):
    chart = figures.build(figure_id, c, ed)
    spec = chart.to_dict()
    fig = figures.get(figure_id, c, ed)
    assert spec["description"] == fig.alt
    assert spec["title"] == {"text": fig.title_en, "subtitle": fig.title_zh}
    assert len(figures.drawn_data(chart)) > 0


@pytest.mark.parametrize("figure_id", figures.figure_ids(compendium()))
def test_export_writes_every_format(exported, figure_id):
    names = {p.name for p in exported.glob(f"{figure_id}.*")}
    formats = ("png", "thumb.png", "svg", "vl.json", "csv", "txt", "bib", "docx", "pptx")
    assert names == {f"{figure_id}.{ext}" for ext in formats}


@pytest.mark.parametrize("figure_id", figures.figure_ids(compendium()))
def test_png_is_at_least_twice_the_svg_size(exported, figure_id):
    svg = (exported / f"{figure_id}.svg").read_text(encoding="utf-8")
    svg_width = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg).group(1))
    png_width = Image.open(exported / f"{figure_id}.png").width
    assert png_width >= 2 * svg_width - 1


@pytest.mark.parametrize("figure_id", figures.figure_ids(compendium()))
def test_csv_holds_exactly_the_rows_drawn(exported, figure_id):
    spec = json.loads((exported / f"{figure_id}.vl.json").read_text(encoding="utf-8"))
    drawn = next(iter(spec["datasets"].values()))
    with open(exported / f"{figure_id}.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(drawn)
    assert set(rows[0]) == set().union(*(row.keys() for row in drawn))

    def as_written(value) -> str:
        """A drawn value as the CSV holds it: text a spreadsheet would run as a formula gets a leading quote."""
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "\0"):
            return "'" + value
        return str(value)

    for row, mark in zip(rows, drawn):
        assert {k: as_written(v) for k, v in mark.items() if v is not None and not isinstance(v, float)} == {
            k: v for k, v in row.items() if k in mark and mark[k] is not None and not isinstance(mark[k], float)
        }


@pytest.mark.parametrize("figure_id", figures.figure_ids(compendium()))
def test_svg_keeps_the_chinese_title_as_text(exported, figure_id, c, ed):
    svg = (exported / f"{figure_id}.svg").read_text(encoding="utf-8")
    assert figures.get(figure_id, c, ed).title_zh in svg
    assert "Noto Sans CJK SC" in svg


def test_citations_name_the_figure_the_book_and_the_paper(exported, c):
    for figure_id in figures.figure_ids(c):
        text = (exported / f"{figure_id}.txt").read_text(encoding="utf-8")
        bib = (exported / f"{figure_id}.bib").read_text(encoding="utf-8")
        for citation in (text, bib):
            assert figure_id in citation and "依托创新基础设施集群培育未来产业的思考" in citation
        assert "@book{infraclusters_book" in bib and "@article{huang2024" in bib


def test_chinese_text_renders_as_glyphs_in_png():
    """A missing CJK font makes vl-convert drop text silently: the exported PNG must have ink."""
    theme.setup()
    text_only = (
        alt.Chart(alt.Data(values=[{"t": "创新基础设施集群"}]))
        .mark_text(fontSize=40, font=theme.FONT)
        .encode(text="t:N")
        .properties(width=400, height=80)
    )
    blank = text_only.encode(text=alt.value(""))
    inked = ink(vl_convert.vegalite_to_png(text_only.to_dict(), scale=1))
    empty = ink(vl_convert.vegalite_to_png(blank.to_dict(), scale=1))
    assert inked > empty + 500, "no Chinese glyphs drawn: is fonts-noto-cjk installed?"
