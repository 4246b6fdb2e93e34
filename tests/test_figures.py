"""The figure registry and its exports: files, scale, data, citation, Chinese glyphs."""

from __future__ import annotations

import csv
import io
import json
import re

import altair as alt
import pytest
import vl_convert
from conftest import compendium
from PIL import Image

from infraclusters import figures
from infraclusters.figures import theme

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def exported(built_site):
    """Every figure's downloads as the build exported them (``figures --out`` writes the same bytes:
    ``test_reproducible`` compares a fresh export with these)."""
    return built_site / "figures"


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
    joined = {key: " ".join(text) if isinstance(text, list) else text for key, text in spec["title"].items()}
    assert joined == {"text": fig.title_en, "subtitle": fig.title_zh}  # a narrow figure's title in lines
    assert len(figures.drawn_data(chart)) > 0


@pytest.mark.parametrize("figure_id", figures.figure_ids(compendium()))
def test_export_writes_every_format(exported, figure_id):
    names = {p.name for p in exported.glob(f"{figure_id}.*")} - {f"{figure_id}.html"}  # the site's address page
    formats = ("png", "thumb.png", "svg", "vl.json", "csv", "txt", "bib", "ris", "csl.json", "docx", "pptx")
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

    from infraclusters.figures.registry import encoded_fields

    labels = encoded_fields(spec)  # drawn on an axis or as text: their line breaks ("|") are spaces in the CSV

    def as_written(key, value) -> str:
        """A drawn value as the CSV holds it: text a spreadsheet would run as a formula gets a leading quote."""
        if isinstance(value, str) and key in labels:
            value = value.replace("|", " ")
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "\0"):
            return "'" + value
        return str(value)

    for row, mark in zip(rows, drawn):
        assert {k: as_written(k, v) for k, v in mark.items() if v is not None and not isinstance(v, float)} == {
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
        assert "@misc{infraclusters_book" in bib and "@article{huang2024" in bib


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


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_no_tooltip_or_csv_shows_the_line_break_marker(language):
    """Labels break into lines on an axis at "|"; a tooltip or the downloaded CSV must not show it."""
    import pandas as pd

    from infraclusters.edition import Edition
    from infraclusters.figures.registry import build, drawn_data, encoded_fields, figure_ids, spec
    from infraclusters.figures.theme import LINE_BREAK

    c, ed = compendium(), Edition(language)
    marked = read = 0
    for figure_id in figure_ids(c):
        chart = build(figure_id, c, ed)
        drawn = spec(chart)
        rows = next(iter(drawn.get("datasets", {}).values()), [])
        piped = {key for row in rows for key, value in row.items() if isinstance(value, str) and LINE_BREAK in value}
        marked += bool(piped)
        tooltips = encoded_fields(drawn, ("tooltip",))
        assert not tooltips & piped, figure_id
        read += len(tooltips)
        table = drawn_data(chart)
        assert not any(LINE_BREAK in str(v) for v in table.select_dtypes(exclude="number").to_numpy().ravel()), (
            figure_id
        )
    assert marked >= (3 if language == "zh_CN" else 8)  # the check reads figures that do break labels
    assert read >= 40  # and their tooltips
    # and the calculation a tooltip reads puts spaces where the breaks were, as Vega draws it
    from infraclusters.figures.marks import one_line

    tips, calculations = one_line([alt.Tooltip("entity:N")], "entity")
    probe = alt.Chart(pd.DataFrame({"entity": ["中文|English|two"]})).transform_calculate(**calculations)
    svg = vl_convert.vegalite_to_svg(probe.mark_text().encode(text=tips[0].to_dict()["field"] + ":N").to_dict())
    assert ">中文 English two<" in svg


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_legend_names_only_what_its_chart_draws(language):
    """An opacity legend (stated, inferred …) lists the codings of the cells drawn, no other (the talent
    figure's cells are all inferred: its legend used to show "stated" too)."""
    from infraclusters.edition import Edition
    from infraclusters.figures.registry import build, figure_ids, spec

    c, ed = compendium(), Edition(language)
    checked = 0
    for figure_id in figure_ids(c):
        drawn = spec(build(figure_id, c, ed))
        opacity = drawn.get("encoding", {}).get("opacity", {})
        if opacity.get("field") != "coding":
            continue
        rows = next(iter(drawn["datasets"].values()))
        assert opacity["scale"]["domain"], figure_id
        assert set(opacity["scale"]["domain"]) == {row["coding"] for row in rows}, figure_id
        checked += 1
    assert checked >= 5  # the typology matrix, the talent figure and the three chain maps


def test_an_opacity_legend_shows_the_colour_its_cells_are_drawn_in():
    """ "stated / inferred" swatches are squares in a colour the cells have, solid and pale as the cells are, not
    the default black and grey (the talent figure's cells are all pink; its swatch is pink)."""
    from infraclusters.edition import Edition
    from infraclusters.figures.registry import build, figure_ids, spec

    c, ed = compendium(), Edition("en")
    swatches = {}
    for figure_id in figure_ids(c):
        drawn = spec(build(figure_id, c, ed))
        encoding = drawn.get("encoding", {})
        if encoding.get("opacity", {}).get("field") != "coding":
            continue
        legend, colour = encoding["opacity"]["legend"], encoding["color"]["scale"]
        assert legend["symbolType"] == "square", figure_id
        assert legend["symbolFillColor"] in colour["range"], (figure_id, legend["symbolFillColor"])
        swatches[figure_id] = legend["symbolFillColor"]
    assert swatches["fig-talent-stages"] == "#CC79A7"
    assert swatches["fig-category-stage-matrix"] != "#000000"


def test_a_fact_check_mark_sits_in_the_middle_of_its_verdict_column():
    """Marks of one claim in one verdict sit side by side around the column's centre; a lone mark sits at the
    centre (an offset over every check pushed each mark across its column, towards the next verdict)."""
    import pandas as pd

    from infraclusters.edition import Edition
    from infraclusters.figures import factcheck as drawing
    from infraclusters.model import factcheck

    c = compendium()
    checks = factcheck.checks(c)
    chart = drawing.factcheck_chart(checks, Edition("en"))
    drawn = chart.data.set_index("check_id")
    sizes = checks.groupby(["claim_id", "agreement"])["check_id"].transform("size").set_axis(checks["check_id"])
    assert (drawn.loc[sizes[sizes == 1].index, "slot"] == 0).all()
    for (_, _), group in drawn.groupby(["claim_id", "agreement"]):
        assert abs(group["slot"].sum()) < 1e-9, "centred"
        assert sorted(group["slot"]) == [i - (len(group) - 1) / 2 for i in range(len(group))]
    offset = chart.to_dict()["encoding"]["xOffset"]["scale"]["range"]
    assert sum(offset) / 2 == drawing.COLUMN_PX / 2, "the offsets' centre is the column's centre"
    # contrary data: three pages for one claim, all 'not found', the first check moved to that verdict
    many = checks.copy()
    first = many["claim_id"].iloc[0]
    extra = many[many["claim_id"] == first].iloc[[0, 0, 0]].assign(check_id=["X1", "X2", "X3"], agreement="not found")
    slots = drawing.factcheck_chart(pd.concat([many, extra]), Edition("en")).data.set_index("check_id")
    assert sorted(slots.loc[["X1", "X2", "X3"], "slot"]) != [0, 0, 0]


#: Colour-vision deficiency at full severity, on linear RGB: Machado, Oliveira and Fernandes (2009), "A
#: physiologically-based model for simulation of color vision deficiency", IEEE TVCG 15(6), table of
#: matrices for severity 1.0.
MACHADO = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
#: Two colours closer than this (CIE76 ΔE) are easily taken for one another.
MIN_DELTA_E = 15


def _lab(colour: str, matrix=None) -> tuple[float, float, float]:
    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [linear(int(colour.lstrip("#")[i : i + 2], 16)) for i in (0, 2, 4)]
    if matrix is not None:
        rgb = [min(max(sum(m * v for m, v in zip(row, rgb, strict=True)), 0.0), 1.0) for row in matrix]
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _closest(palette: dict[str, str], matrix=None) -> tuple[float, str, str]:
    import itertools
    import math

    labs = {name: _lab(colour, matrix) for name, colour in palette.items()}
    return min((math.dist(labs[a], labs[b]), a, b) for a, b in itertools.combinations(labs, 2))


def test_distinct_categories_keep_distinct_colours_for_colour_blind_readers():
    from infraclusters.edition import Edition
    from infraclusters.figures.marks import group_colour

    groups = group_colour(Edition("en"))
    palettes = {
        "categories": theme.CATEGORY_COLOURS,
        "phases": theme.PHASE_COLOURS,
        "verdicts": theme.AGREEMENT_COLOURS,
        "node groups": dict(zip(groups.domain, groups.range, strict=True)),
        "groups side by side": dict(enumerate(theme.GROUP_PALETTE)),
    }
    for name, palette in palettes.items():
        for vision, matrix in [("normal vision", None), *MACHADO.items()]:
            distance, a, b = _closest(palette, matrix)
            assert distance >= MIN_DELTA_E, f"{name}, {vision}: {a} and {b} are {distance:.1f} apart"
    # the measure tells colours apart that a reader would not: the old light grey beside reddish purple
    assert _closest({"not comparable": "#CC79A7", "not found": "#999999"}, MACHADO["deuteranopia"])[0] < MIN_DELTA_E


def test_a_bar_in_the_data_is_drawn_as_a_bar_not_taken_for_a_line_break():
    import pandas as pd

    from infraclusters.edition import Edition
    from infraclusters.figures.marks import lines, two_line

    label = two_line(pd.Series(["甲|乙"]), pd.Series(["A|B"]), ed=Edition("en"))[0]
    assert label == "甲｜乙|A｜B" and label.count("|") == 1
    assert lines("cmd|' /C calc", 40) == "cmd｜' /C calc"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_an_exported_image_shows_its_source_licence_and_citation_under_the_chart(tmp_path, language):
    """Pasted into a report, the PNG or SVG still says where it is from: a visible footer (Our World in Data's
    charts carry one), not only metadata a reader never sees."""
    import re

    from infraclusters.edition import Edition
    from infraclusters.figures.export import export

    ed = Edition(language)
    export("fig-compare-locator", tmp_path, compendium(), ed)
    svg = (tmp_path / "fig-compare-locator.svg").read_text(encoding="utf-8")
    footer = svg[svg.index('<g class="infra-footer">') :]
    shown = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", footer))
    identifier = re.search(r"<dc:identifier>([^<]+)</dc:identifier>", svg).group(1)
    assert identifier.split("+")[1] in shown and "CC BY 4.0" in shown and "data/clusters.csv" in shown
    assert ("来源" in shown and "图 fig-compare-locator" in shown) if language == "zh_CN" else "Source: " in shown
    height = float(re.search(r'<svg[^>]*\bheight="([\d.]+)"', svg).group(1))
    band_top = float(re.search(r'<rect x="0" y="([\d.]+)"', footer).group(1))
    assert height - band_top >= 3 * 14  # three lines or more, inside the canvas
    with Image.open(tmp_path / "fig-compare-locator.png") as image:
        assert image.height == round(height * 2)  # the PNG is the same drawing, footer included


def test_a_chinese_export_says_where_it_comes_from_in_chinese(tmp_path):
    """The PNG's text chunks, the SVG's metadata and the Word file's properties of a Chinese-edition figure
    are in Chinese, as its title and caption are (they said "Drawn by …", "Cite as below", "paper §2")."""
    import zipfile

    from infraclusters.edition import Edition

    c, ed = compendium(), Edition("zh_CN")
    figures.export("fig-mechanism-map", tmp_path, c, ed)
    png = Image.open(tmp_path / "fig-mechanism-map.png")
    svg = (tmp_path / "fig-mechanism-map.svg").read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "fig-mechanism-map.docx") as docx:
        core = docx.read("docProps/core.xml").decode("utf-8")
        body = docx.read("word/document.xml").decode("utf-8")
    metadata = svg[: svg.index("</metadata>")]
    for where, text in (("png", " ".join(png.text.values())), ("svg", metadata), ("docx", core + body)):
        for english in ("Drawn by", "Cite as below", "paper §", "the dataset", "Source:"):
            assert english not in text, f"{where}: {english!r}"
        assert "论文§2" in text and "引用" in text, where


#: The article's column at 1366 px (sphinx-book-theme, measured in Chromium): every chart fits it.
COLUMN_PX = 757


def test_every_figure_fits_a_laptops_column_in_both_editions(built_site):
    import re

    from conftest import ZH_SITE

    wide = []
    for site in (built_site, ZH_SITE):
        for path in sorted((site / "figures").glob("fig-*.svg")):
            width = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)"', path.read_text(encoding="utf-8")).group(1))
            if width > COLUMN_PX - 16:
                wide.append(f"{site.name}/{path.name}: {width:.0f} px")
    assert not wide, wide
