"""A figure as a notebook output: the bundle ``run`` shows, and the build's placeholder it fills in afterwards."""

from __future__ import annotations

import base64
import json
import re

import nbformat
import pytest
import vl_convert
from conftest import ROOT

from infraclusters.book.notebooks import FigurePlaceholder, fill, link
from infraclusters.figures.notebook import PLACEHOLDER, VEGALITE_5, bundle

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json",
    "data": {"values": [{"a": "x", "b": 1}, {"a": "y", "b": 3}]},
    "mark": "bar",
    "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}},
}


@pytest.fixture(scope="module")
def png() -> bytes:
    return vl_convert.vegalite_to_png(SPEC, vl_version="6.4", scale=2)


def test_the_bundle_offers_the_spec_as_version_5_for_jupyterlab_and_a_png_at_its_reading_size(png):
    data, meta = bundle(SPEC, png, "A title", "fig-x", scale=2)
    assert data["application/vnd.vegalite.v6+json"] == SPEC
    assert data["application/vnd.vegalite.v5+json"] == {**SPEC, "$schema": VEGALITE_5}
    assert base64.b64decode(data["image/png"]) == png
    assert data["text/plain"] == "A title [fig-x]"
    width = int.from_bytes(png[16:20], "big")
    assert meta["image/png"]["width"] == round(width / 2) and width > 100


def test_a_spec_version_5_cannot_compile_is_not_offered_as_version_5(png):
    broken = {**SPEC, "mark": {"type": "no-such-mark"}}
    data, _ = bundle(broken, png, "A title", "fig-x")
    assert "application/vnd.vegalite.v5+json" not in data
    assert {"application/vnd.vegalite.v6+json", "image/png"} <= set(data)


def test_fill_replaces_each_placeholder_by_the_exported_figure_and_leaves_other_outputs(tmp_path, png):
    (tmp_path / "fig-x.vl.json").write_text(json.dumps(SPEC), encoding="utf-8")
    (tmp_path / "fig-x.png").write_bytes(png)
    table = nbformat.v4.new_output("display_data", data={"text/html": "<table></table>"})
    placeholder = nbformat.v4.new_output(
        "display_data",
        data={PLACEHOLDER: {"id": "fig-x", "title": "A title"}},
        metadata={"infraclusters": {"figure": "fig-x"}},
    )
    cell = nbformat.v4.new_code_cell("figures.show('fig-x', c, ed)", outputs=[table, placeholder])
    notebook = nbformat.v4.new_notebook(cells=[cell])
    assert fill(notebook, tmp_path) == ["fig-x"]
    shown = notebook.cells[0].outputs
    assert shown[0]["data"] == {"text/html": "<table></table>"}
    assert PLACEHOLDER not in shown[1]["data"] and shown[1]["data"]["text/plain"] == "A title [fig-x]"
    assert json.loads(json.dumps(shown[1]["data"]["application/vnd.vegalite.v6+json"])) == SPEC
    assert shown[1]["metadata"]["infraclusters"] == {"figure": "fig-x"}
    nbformat.validate(notebook)


def test_a_placeholder_renders_as_nothing_and_every_other_output_as_before():
    class Data:
        def __init__(self, mime_type):
            self.mime_type = mime_type

    assert FigurePlaceholder.handle_mime(None, Data(PLACEHOLDER), False) == []
    assert FigurePlaceholder.handle_mime(None, Data("image/png"), False) is None
    assert ("*", PLACEHOLDER, 1) in FigurePlaceholder.mime_priority_overrides


def test_the_link_stays_in_the_edition_site():
    assert link("chapters/mechanisms") == "../notebooks/chapters/mechanisms.ipynb"
    assert link("chapters/cases/01_hefei_binhu") == "../../notebooks/chapters/cases/01_hefei_binhu.ipynb"


def test_a_figure_spec_is_the_same_whatever_pandas_display_options_the_process_has(c, ed):
    """An IPython kernel sets pandas' display options; Altair names views by hashing the frame's repr."""
    import pandas as pd

    from infraclusters import figures

    with pd.option_context("display.max_columns", 0, "display.width", 80):
        script = figures.spec(figures.build("fig-mechanism-map", c, ed))
    with pd.option_context("display.max_columns", 7, "display.width", 200, "display.max_rows", 5):
        kernel = figures.spec(figures.build("fig-mechanism-map", c, ed))
    assert json.dumps(script, sort_keys=True) == json.dumps(kernel, sort_keys=True)


# The executed notebook, read outside the book: its numbers shown, its roles resolved.


def _glue_output(name, text):
    """As MyST-NB's glue (papermill's record) writes it: the value under a prefixed mime type."""
    prefix = "application/papermill.record/"
    return nbformat.v4.new_output(
        "display_data",
        data={f"{prefix}text/plain": text},
        metadata={"scrapbook": {"name": name, "mime_prefix": prefix}},
    )


def test_a_notebook_read_outside_the_book_shows_its_glued_numbers_and_resolves_every_role():
    from infraclusters.book.readable import make_readable
    from infraclusters.edition import Edition

    code = nbformat.v4.new_code_cell("glue(...)")
    code.outputs = [_glue_output("n_links", "21"), _glue_output("share", "0.4567"), _glue_output("city", "'Hefei'")]
    prose = nbformat.v4.new_markdown_cell(
        "The map has {glue:text}`n_links` links ({glue:text}`share:.1%`) in {glue:text}`city`; see {claim}`C2.1-01`, "
        "an {term}`innovation chain <innovation-chain>`, {numref}`fig-mechanism-map` and {cite:p}`huang2024`. "
        "Unknown: {glue:text}`missing`. Shown as code: `{oops}`.\n\n```{infra-figure} fig-mechanism-map\n```\n\n"
        "```{infra-claims-ledger}\n```\n"
    )
    notebook = nbformat.v4.new_notebook(cells=[code, prose])
    make_readable(notebook, Edition("en"), {"fig-mechanism-map": "2.1"}, "../../chapters/claims.html")
    text = notebook.cells[1].source
    assert "The map has 21 links (45.7%) in Hefei" in text
    assert "[C2.1-01](../../chapters/claims.html#claim-c2-1-01)" in text and "an innovation chain," in text
    assert "Figure 2.1 and [huang2024]" in text and "*Figure 2.1 (the output above).*" in text
    assert "{glue:text}`missing`" in text, "a value this run did not glue stays visible as a gap"
    assert "`{oops}`" in text, "markup quoted as code stays as written"
    assert "{infra-claims-ledger}" not in text and "generated on the book's page" in text
    assert notebook.cells[0].outputs[0]["data"]["application/papermill.record/text/plain"] == "21", "as they ran"


def test_the_sites_notebooks_show_the_numbers_the_page_shows(built_site):
    page = (built_site / "chapters" / "mechanisms.html").read_text(encoding="utf-8")
    notebook = nbformat.read(built_site / "notebooks" / "chapters" / "mechanisms.ipynb", as_version=4)
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "{glue" not in prose and "{claim}" not in prose and "{term}" not in prose
    from infraclusters.book.readable import glued

    values = glued(notebook)
    source = (ROOT / "chapters" / "mechanisms.md").read_text(encoding="utf-8")
    used = set(re.findall(r"\{glue:text\}`([A-Za-z0-9_]+)`", source))
    assert len(used) >= 5 and used <= set(values)
    for name in used:  # each number the page prints is in the notebook's prose
        assert values[name] in prose and values[name] in page, name
