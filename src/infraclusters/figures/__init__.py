"""Figures: the registry, the theme and shared marks, one module of figures per chapter, and export.

In each chapter's module, a figure is declared (id, titles, caption, alt text,
sources, claims) right above the function that draws it from the compendium
``c`` in the edition ``ed``; the chart functions there take the tidy frame they
draw. Importing this package registers every figure. A chapter draws one with
``figures.show("fig-…", c, ed)``; ``figures.export_all(out, c, ed)`` writes
the downloads of all of them.
"""

from . import cases, comparison, concepts, factcheck, mechanisms, panel, recommendations  # noqa: F401 - they register
from .export import export, export_all, provenance
from .notebook import show
from .registry import (
    CASE_FIGURES,
    CASES_DIR,
    FIGURES,
    Figure,
    build,
    case_page_name,
    drawn_data,
    figure_claims,
    figure_ids,
    get,
    spec,
)
from .theme import setup

__all__ = [
    "CASES_DIR",
    "CASE_FIGURES",
    "FIGURES",
    "Figure",
    "build",
    "case_page_name",
    "drawn_data",
    "export",
    "export_all",
    "figure_claims",
    "figure_ids",
    "get",
    "provenance",
    "setup",
    "show",
    "spec",
]
