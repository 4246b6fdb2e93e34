"""The executed notebooks a reader downloads: each chapter as this build ran it, with its figures.

Inside the build a chapter shows each figure as a placeholder (its id, see
:data:`infraclusters.figures.notebook.PLACEHOLDER`) that the page renders as
nothing, so a chart edit re-executes no chapter. After an HTML build, every
executed notebook is written to the edition's ``notebooks/`` folder with each
placeholder replaced by the figure itself (Vega-Lite and PNG, from the build's
own exports), and its prose readable outside the book (numbers shown, roles
resolved: see :mod:`.readable`), so the notebook a page links shows what the
page shows.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..figures.export import PNG_SCALE
from ..figures.notebook import PLACEHOLDER, bundle
from . import config, numbering, readable

FOLDER = "notebooks"


class FigurePlaceholder:
    """A MyST-NB mime renderer (entry point ``myst_nb.mime_renderers``): a figure placeholder renders as nothing.

    The placeholder is the output's only mime type, so MyST-NB, finding nothing
    rendered, leaves out the output's box as well.
    """

    mime_priority_overrides = [("*", PLACEHOLDER, 1)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        return [] if data.mime_type == PLACEHOLDER else None


def fill(notebook: dict, figures_dir: Path) -> list[str]:
    """Replace every figure placeholder of ``notebook`` by the exported figure; returns the ids filled."""
    filled = []
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PLACEHOLDER not in data:
                continue
            figure_id, title = data[PLACEHOLDER]["id"], data[PLACEHOLDER]["title"]
            spec = json.loads((figures_dir / f"{figure_id}.vl.json").read_text(encoding="utf-8"))
            png = (figures_dir / f"{figure_id}.png").read_bytes()
            output["data"], meta = bundle(spec, png, title, figure_id, scale=PNG_SCALE)
            output["metadata"] = {**output.get("metadata", {}), **meta}
            filled.append(figure_id)
    return filled


def executed(app, docname: str):
    """The chapter as this build executed it, or None for a page that is no notebook.

    With ``execute_notebooks: cache`` MyST-NB writes the notebook *before*
    execution to its ``jupyter_execute`` folder (it merges the cached outputs
    into a copy), so the executed one is taken from the execution cache, as
    MyST-NB itself does; in the other modes the folder holds the executed one.
    """
    import nbformat
    from myst_nb.core.read import create_nb_reader

    path = Path(app.env.doc2path(docname))
    nb_config = app.env.mystnb_config
    content = path.read_text(encoding="utf-8")
    reader = create_nb_reader(str(path), app.env.myst_config, nb_config, content)
    if reader is None:
        return None
    notebook = reader.read(content)
    if nb_config.execution_mode == "cache":
        from jupyter_cache import get_cache

        try:
            return get_cache(nb_config.execution_cache_path).merge_match_into_notebook(notebook)[1]
        except KeyError:  # not executed (a page without code)
            return notebook
    written = Path(nb_config.output_folder) / f"{docname}.ipynb"
    return nbformat.reads(written.read_text(encoding="utf-8"), as_version=4) if written.is_file() else notebook


def write(app, exception) -> None:
    """After an HTML build: each executed chapter, its figures filled in, under ``notebooks/`` of the edition."""
    import nbformat

    if exception is not None or app.builder.name != "html":
        return
    book = config.from_app(app)
    target = Path(app.outdir) / FOLDER
    for docname in sorted(app.env.found_docs):
        notebook = executed(app, docname)
        if notebook is None or not any(cell.cell_type == "code" for cell in notebook.cells):
            continue
        fill(notebook, book.exports_dir)
        ledger = "../" * (docname.count("/") + 1) + "chapters/claims.html"  # from notebooks/<docname>.ipynb
        readable.make_readable(notebook, book.edition, numbering.figure_numbers(book.root), ledger)
        out = target / f"{docname}.ipynb"
        out.parent.mkdir(parents=True, exist_ok=True)
        text = nbformat.writes(notebook) + "\n"
        if not (out.is_file() and out.read_text(encoding="utf-8") == text):
            out.write_text(text, encoding="utf-8")


def link(docname: str) -> str:
    """The page-relative address of a chapter's executed notebook, in the same edition's site."""
    return "../" * docname.count("/") + f"{FOLDER}/{docname}.ipynb"
