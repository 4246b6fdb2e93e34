"""A figure as a notebook output: the bundle ``run`` shows, and the build's placeholder it fills in afterwards."""

from __future__ import annotations

import base64
import json

import nbformat
import pytest
import vl_convert

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
