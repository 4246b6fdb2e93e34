"""The package is layered: a lower layer never imports a higher one (read from the source with ``ast``).

Low to high: ``model`` < ``handover`` and ``edition`` < ``text`` < ``figures`` < ``book`` <
``cli``, ``__main__`` and the package's ``__init__``. The model imports only the model, and none
of Altair, Sphinx, docutils, MyST-NB or IPython. Imports inside functions count too: a lazy
import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = "infraclusters"
SOURCE = ROOT / "src" / PACKAGE

#: The layer of each top-level part of the package, low to high. A part may import its own layer and
#: those below it.
LAYERS = {
    "model": 0,
    "handover": 1,
    "edition": 1,
    "archives": 1,
    "children": 1,
    "text": 2,
    "figures": 3,
    "book": 4,
    "cli": 5,
    "__main__": 5,
    "__init__": 5,  # the package itself (``import infraclusters``, ``from .. import x`` of a non-module)
}
#: Libraries of the presentation and the book: the model must not need any of them.
NOT_IN_MODEL = {"altair", "sphinx", "docutils", "myst_nb", "myst_parser", "IPython", "vl_convert"}


def module_name(path: Path) -> str:
    """``src/infraclusters/model/chain.py`` → ``infraclusters.model.chain`` (a package by its own name)."""
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, tuple[Path, bool]]:
    """Every module of the package: dotted name → (file, whether it is a package's ``__init__``)."""
    return {module_name(p): (p, p.name == "__init__.py") for p in sorted(SOURCE.rglob("*.py"))}


def layer(dotted: str) -> tuple[str, int]:
    """The part of the package a dotted name belongs to, and that part's layer."""
    parts = dotted.split(".")
    assert parts[0] == PACKAGE, dotted
    part = parts[1] if len(parts) > 1 else "__init__"
    if part not in LAYERS:
        raise KeyError(f"{dotted}: {part!r} has no layer; add it to LAYERS in tests/test_layers.py")
    return part, LAYERS[part]


def resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from … import`` statement reads from (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    if node.level - 1 >= len(base):
        raise ValueError(f"{importer}: relative import beyond the top-level package (level {node.level})")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(importer: str, is_package: bool, source: str, known: set[str]) -> list[tuple[int, str]]:
    """(line, absolute module) for every import of a module's source, wherever it sits in the file.

    ``from X import a`` counts as an import of ``X.a`` when that is a module of the package, else of ``X``.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = resolve(importer, is_package, node)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.append((node.lineno, candidate if candidate in known else base))
    return found


def violations(importer: str, is_package: bool, source: str, known: set[str]) -> list[str]:
    """Every import of ``source`` (the module ``importer``) that breaks the layering."""
    own_part, own_layer = layer(importer)
    bad = []
    for line, target in imports(importer, is_package, source, known):
        top = target.split(".")[0]
        if own_part == "model" and top in NOT_IN_MODEL:
            bad.append(f"{importer}:{line} imports {target} (the model draws, renders and builds nothing)")
        if top != PACKAGE:
            continue
        part, target_layer = layer(target)
        if target_layer > own_layer:
            bad.append(
                f"{importer}:{line} imports {target}: {own_part} (layer {own_layer}) < {part} (layer {target_layer})"
            )
    return bad


def test_every_module_has_a_layer():
    found = modules()
    assert "infraclusters.model.compendium" in found and "infraclusters.cli" in found, sorted(found)
    for name in found:
        layer(name)  # raises for a part of the package that no layer holds


def test_no_layer_imports_a_higher_one():
    found = modules()
    known = set(found)
    bad = []
    for name, (path, is_package) in found.items():
        bad += violations(name, is_package, path.read_text(encoding="utf-8"), known)
    assert bad == [], "\n".join(bad)


# --- the checker itself catches what it must ------------------------------------------------------

KNOWN = {
    "infraclusters",
    "infraclusters.model",
    "infraclusters.model.chain",
    "infraclusters.model.graphs",
    "infraclusters.edition",
    "infraclusters.handover",
    "infraclusters.text",
    "infraclusters.text.case_page",
    "infraclusters.figures",
    "infraclusters.figures.theme",
    "infraclusters.book",
    "infraclusters.book.pages",
    "infraclusters.cli",
}


@pytest.mark.parametrize(
    "importer, is_package, source, expected",
    [
        ("infraclusters.model.chain", False, "from ..figures import theme\n", "infraclusters.figures.theme"),
        ("infraclusters.model.chain", False, "from .. import figures\n", "infraclusters.figures"),
        ("infraclusters.model.chain", False, "from ..edition import Edition\n", "infraclusters.edition"),
        ("infraclusters.model.chain", False, "from .. import __version__\n", "infraclusters"),
        ("infraclusters.model.chain", False, "def f():\n    import altair\n", "altair"),
        ("infraclusters.model", True, "from ..handover import current\n", "infraclusters.handover"),
        ("infraclusters.text.case_page", False, "from ..book.pages import write_pages\n", "infraclusters.book.pages"),
        ("infraclusters.figures", True, "from ..book import pages\n", "infraclusters.book.pages"),
        ("infraclusters.book.pages", False, "import infraclusters.cli\n", "infraclusters.cli"),
        ("infraclusters.edition", False, "from .text import case_page\n", "infraclusters.text.case_page"),
    ],
)
def test_the_checker_flags_a_bad_import(importer, is_package, source, expected):
    found = violations(importer, is_package, source, KNOWN)
    assert len(found) == 1 and f"imports {expected}" in found[0], found


@pytest.mark.parametrize(
    "importer, is_package, source",
    [
        (
            "infraclusters.model.chain",
            False,
            "from . import graphs\nfrom .graphs import typology_graph\nimport pandas\n",
        ),
        ("infraclusters.model", True, "from .chain import stage_profile\n"),
        ("infraclusters.edition", False, "from .handover import PACKAGE_ROOT\n"),
        ("infraclusters.text.case_page", False, "from ..edition import Edition\nfrom ..model import chain\n"),
        ("infraclusters.figures.theme", False, "from ..text import case_page\nimport altair\n"),
        ("infraclusters.book.pages", False, "from .. import figures\nfrom ..figures import theme\nimport sphinx\n"),
        ("infraclusters.cli", False, "from .book import pages\nfrom . import figures\n"),
        ("infraclusters", True, "from .cli import main\nfrom . import book\n"),
    ],
)
def test_the_checker_allows_a_good_import(importer, is_package, source):
    assert violations(importer, is_package, source, KNOWN) == []


def test_relative_imports_resolve_against_the_importing_module():
    def first(importer, is_package, source):
        return resolve(importer, is_package, ast.parse(source).body[0])

    assert first("infraclusters.model.chain", False, "from . import x") == "infraclusters.model"
    assert first("infraclusters.model", True, "from . import x") == "infraclusters.model"
    assert first("infraclusters.model", True, "from ..edition import x") == "infraclusters.edition"
    assert first("infraclusters.book.pages", False, "from ..text.case_page import x") == "infraclusters.text.case_page"
    with pytest.raises(ValueError, match="beyond the top-level package"):
        first("infraclusters.model.chain", False, "from .... import x")


def test_a_part_without_a_layer_is_refused():
    with pytest.raises(KeyError, match="'newpart' has no layer"):
        violations("infraclusters.newpart", False, "import os\n", KNOWN)


def test_the_checker_flags_a_bad_import_added_to_a_real_module():
    found = modules()
    path, is_package = found["infraclusters.model.chain"]
    source = path.read_text(encoding="utf-8")
    assert violations("infraclusters.model.chain", is_package, source, set(found)) == []
    broken = source + "\n\ndef chart():\n    from ..figures import marks\n\n    return marks\n"
    assert len(violations("infraclusters.model.chain", is_package, broken, set(found))) == 1
