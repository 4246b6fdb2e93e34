"""Every chapter executes on its own with papermill, and its figures are the registered ones."""

from __future__ import annotations

import re

import jupytext
import papermill
import pytest
import yaml
from conftest import DATA, ROOT

from infraclusters import figures

FIGURE_DIRECTIVE = re.compile(r"^```\{infra-figure\}\s+(\S+)", re.M)


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return files


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
        str(source), str(tmp_path / "executed.ipynb"), parameters={"data_dir": str(DATA)},
        cwd=str(tmp_path), kernel_name="python3", progress_bar=False,
    )
    glued = {
        output.get("metadata", {}).get("scrapbook", {}).get("name")
        for cell in executed.cells for output in cell.get("outputs", [])
    }
    wanted = set(FIGURE_DIRECTIVE.findall((ROOT / f"{chapter}.md").read_text(encoding="utf-8")))
    assert wanted <= glued, f"figures placed but not glued: {wanted - glued}"


def test_every_figure_is_placed_once_in_its_chapter():
    placed = {}
    for chapter in toc_files():
        for figure_id in FIGURE_DIRECTIVE.findall((ROOT / f"{chapter}.md").read_text(encoding="utf-8")):
            placed.setdefault(figure_id, []).append(chapter)
    assert set(placed) <= set(figures.FIGURES), f"unregistered: {set(placed) - set(figures.FIGURES)}"
    for figure_id, fig in figures.FIGURES.items():
        assert placed.get(figure_id) == [fig.chapter], f"{figure_id}: declared in {fig.chapter}, placed in {placed.get(figure_id)}"
