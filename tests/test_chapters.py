"""Every chapter executes on its own with papermill, and its figures are the registered ones."""

from __future__ import annotations

import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import jupytext
import pytest
from conftest import ROOT, compendium

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
def test_every_chapter_takes_its_data_directory_as_a_papermill_parameter(chapter):
    """Each executable page has a ``parameters`` cell that sets ``data_dir`` (papermill injects a reader's).

    That each one executes, and glues every figure it places: the build executes every page and fails on a cell
    error; ``test_rerun`` re-executes each chapter with ``run`` (papermill) and compares its numbers and figures
    with the built book's; ``test_every_executable_page_says_how_to_rerun_it`` checks the figures the build's
    notebooks show are those the page places.
    """
    notebook = jupytext.reads(toc_pages()[chapter], fmt="md:myst")
    parameters = [
        cell.source
        for cell in notebook.cells
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", [])
    ]
    assert len(parameters) == 1, f"{chapter}: one parameters cell"
    assert re.search(r"^data_dir\s*=", parameters[0], re.M), f"{chapter}: its parameters set data_dir"


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
