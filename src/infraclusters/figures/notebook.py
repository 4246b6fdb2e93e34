"""A figure as a notebook output: what ``figures.show`` displays in a chapter.

This is code a chapter's kernel runs, so the build re-executes every chapter
when it changes (see :mod:`infraclusters.book.caching`); the charts themselves
are not: inside the book build a chapter shows only a placeholder.
"""

from __future__ import annotations

from pathlib import Path

from ..edition import Edition
from .registry import build, get
from .registry import spec as spec_of

PLACEHOLDER = "application/vnd.infraclusters.figure+json"
"""The output a chapter shows for a figure inside the book build: the figure's id only.

The page renders nothing for it (its ``{infra-figure}`` directive places the
figure); after the build, :mod:`infraclusters.book.notebooks` replaces it with
the figure's :func:`bundle`, drawn from the build's own exports.
"""

VEGALITE_5 = "https://vega.github.io/schema/vega-lite/v5.20.1.json"


def show(figure_id: str, c, ed: Edition) -> None:
    """Show the figure in the notebook and glue it under its id (used in chapters).

    In the book, ``{infra-figure}`` places the figure from its exported spec, so
    a chapter's execution does not depend on chart code (a chart edit
    re-executes no chapter): the notebook gets a :data:`PLACEHOLDER` that the
    build fills in. Outside the build (``run``, Jupyter) the figure is a visible
    output, :func:`bundle`, and is glued under its id as well.
    """
    from IPython.display import display

    from ..handover import current

    fig = get(figure_id, c, ed)  # an unknown id fails here, in the build too
    metadata = {"infraclusters": {"figure": fig.id}}
    if current().offline_html:
        # no text/plain: a bundle the page can render no part of leaves no output box at all
        display({PLACEHOLDER: {"id": fig.id, "title": fig.title}}, raw=True, metadata=metadata)
        return
    from myst_nb import glue

    chart = build(figure_id, c, ed)
    exports = current().exports_dir
    if exports:  # ``run``: the downloads are written here, and the notebook shows what they hold
        import json

        from .export import PNG_SCALE, export

        export(figure_id, exports, c, ed, chart=chart)  # a spec is made once: Altair names views per call
        stem = Path(exports) / fig.id
        spec = json.loads(stem.with_name(f"{fig.id}.vl.json").read_text(encoding="utf-8"))
        png, scale = stem.with_name(f"{fig.id}.png").read_bytes(), PNG_SCALE
    else:
        import vl_convert

        spec = spec_of(chart)
        png, scale = vl_convert.vegalite_to_png(spec, vl_version=vegalite_version(), scale=1), 1
    data, meta = bundle(spec, png, fig.title, fig.id, scale=scale)
    display(data, raw=True, metadata={**metadata, **meta})
    glue(fig.id, chart, display=False)


def vegalite_version() -> str:
    """The Vega-Lite version Altair writes, as vl-convert names it (``6.4``)."""
    import altair as alt

    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def bundle(spec: dict, png: bytes, title: str, figure_id: str, scale: float = 1) -> tuple[dict, dict]:
    """A figure as a notebook output (data, metadata): its Vega-Lite spec, a PNG, and its title.

    The spec needs no script from the network. JupyterLab (4.6 and earlier)
    draws Vega-Lite up to version 5, so the spec is offered as version 5 too
    when Vega-Lite 5 compiles it; a viewer that runs no JavaScript shows the
    PNG (``scale`` is its pixel density: it is shown at 1/``scale`` size).
    """
    import base64
    import struct

    import vl_convert

    major = vegalite_version().split(".")[0]
    data = {f"application/vnd.vegalite.v{major}+json": spec}
    if major != "5":
        earlier = {**spec, "$schema": VEGALITE_5}
        try:
            vl_convert.vegalite_to_vega(earlier, vl_version="5.20")
        except ValueError:
            pass  # a spec that uses what only the later version has: the PNG stands in for it
        else:
            data["application/vnd.vegalite.v5+json"] = earlier
    data["image/png"] = base64.b64encode(png).decode("ascii")
    data["text/plain"] = f"{title} [{figure_id}]"
    width, height = struct.unpack(">II", png[16:24])  # the PNG's IHDR chunk
    meta = {"image/png": {"width": round(width / scale), "height": round(height / scale)}}
    return data, meta
