"""Every chapter executes on its own with papermill, and its figures are the registered ones."""

from __future__ import annotations

import re

import jupytext
import papermill
import pytest
from conftest import DATA, ROOT

from infraclusters import cases, coverage, figures

FIGURE_DIRECTIVE = re.compile(r"^```\{infra-figure\}\s+(\S+)", re.M)


def toc_files() -> list[str]:
    """Every page of the table of contents, the generated case pages included (written first)."""
    cases.write_pages()
    return list(coverage.chapter_files())


def notebooks() -> list[str]:
    return [f for f in toc_files() if "kernelspec:" in (ROOT / f"{f}.md").read_text(encoding="utf-8")]


def test_there_are_executable_chapters():
    assert "chapters/concepts" in notebooks()


@pytest.mark.parametrize("chapter", notebooks())
def test_chapter_executes_with_papermill(chapter, tmp_path):
    notebook = jupytext.read(ROOT / f"{chapter}.md")
    tags = [cell.metadata.get("tags", []) for cell in notebook.cells if cell.cell_type == "code"]
    assert any("parameters" in t for t in tags), f"{chapter} has no parameters cell"
    source = tmp_path / "chapter.ipynb"
    jupytext.write(notebook, source)
    executed = papermill.execute_notebook(
        str(source),
        str(tmp_path / "executed.ipynb"),
        parameters={"data_dir": str(DATA)},
        cwd=str(tmp_path),
        kernel_name="python3",
        progress_bar=False,
    )
    glued = {
        output.get("metadata", {}).get("scrapbook", {}).get("name")
        for cell in executed.cells
        for output in cell.get("outputs", [])
    }
    wanted = set(FIGURE_DIRECTIVE.findall((ROOT / f"{chapter}.md").read_text(encoding="utf-8")))
    assert wanted <= glued, f"figures placed but not glued: {wanted - glued}"


def test_every_figure_is_placed_once_in_its_chapter():
    placed = {}
    for chapter in toc_files():
        for figure_id in FIGURE_DIRECTIVE.findall((ROOT / f"{chapter}.md").read_text(encoding="utf-8")):
            placed.setdefault(figure_id, []).append(chapter)
    known = figures.figure_ids()
    assert set(placed) <= set(known), f"unregistered: {set(placed) - set(known)}"
    for figure_id in known:
        chapter = figures.get(figure_id).chapter
        assert placed.get(figure_id) == [chapter], (
            f"{figure_id}: declared in {chapter}, placed in {placed.get(figure_id)}"
        )
