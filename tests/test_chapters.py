"""Every chapter executes on its own with papermill, and its figures are the registered ones."""

from __future__ import annotations

import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import jupytext
import papermill
import pytest
from conftest import DATA, ROOT, compendium

from infraclusters import figures
from infraclusters.book.pages import TEMPLATE
from infraclusters.edition import Edition
from infraclusters.model import claims
from infraclusters.text import case_page

FIGURE_DIRECTIVE = re.compile(r"^```\{infra-figure\}\s+(\S+)", re.M)


@lru_cache(maxsize=1)
def case_pages() -> dict[str, str]:
    """Docname → text of every generated case page, computed in memory: nothing is written into chapters/."""
    c = compendium()
    template = (ROOT / TEMPLATE).read_text(encoding="utf-8")
    return {
        f"{figures.CASES_DIR}/{figures.case_page_name(cluster.position, cluster.id)}": case_page.page_source(
            cluster, template, Edition()
        )
        for cluster in map(c.cluster, c.cluster_ids)
    }


@lru_cache(maxsize=1)
def toc_pages() -> dict[str, str]:
    """Docname → text of every page of the table of contents, in book order, the case pages included.

    The table of contents finds the case pages by a glob; so the globbed pages are the generated
    ones (not whatever stale pages chapters/cases holds), it is read in a scratch folder holding
    the book's _toc.yml and an empty stand-in for each generated page.
    """
    generated = case_pages()
    scratch = Path(tempfile.mkdtemp(prefix="infraclusters-toc-"))
    try:
        shutil.copy(ROOT / "_toc.yml", scratch / "_toc.yml")
        for docname in generated:
            (scratch / f"{docname}.md").parent.mkdir(parents=True, exist_ok=True)
            (scratch / f"{docname}.md").touch()
        docnames = list(claims.chapter_files(scratch))
    finally:
        shutil.rmtree(scratch)
    return {
        name: generated[name] if name in generated else (ROOT / f"{name}.md").read_text(encoding="utf-8")
        for name in docnames
    }


def toc_files() -> list[str]:
    """Every page of the table of contents, the generated case pages included (computed, not written)."""
    return list(toc_pages())


def notebooks() -> list[str]:
    return [f for f, text in toc_pages().items() if "kernelspec:" in text]


def test_there_are_executable_chapters():
    assert "chapters/concepts" in notebooks()


@pytest.mark.parametrize("chapter", notebooks())
def test_chapter_executes_with_papermill(chapter, tmp_path):
    page = tmp_path / f"{Path(chapter).name}.md"  # a generated case page exists only in memory
    page.write_text(toc_pages()[chapter], encoding="utf-8")
    notebook = jupytext.read(page)
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
    wanted = set(FIGURE_DIRECTIVE.findall(toc_pages()[chapter]))
    assert wanted <= glued, f"figures placed but not glued: {wanted - glued}"


def test_every_figure_is_placed_once_in_its_chapter(c, ed):
    placed = {}
    for chapter in toc_files():
        for figure_id in FIGURE_DIRECTIVE.findall(toc_pages()[chapter]):
            placed.setdefault(figure_id, []).append(chapter)
    known = figures.figure_ids(c)
    assert set(placed) <= set(known), f"unregistered: {set(placed) - set(known)}"
    for figure_id in known:
        chapter = figures.get(figure_id, c, ed).chapter
        assert placed.get(figure_id) == [chapter], (
            f"{figure_id}: declared in {chapter}, placed in {placed.get(figure_id)}"
        )
