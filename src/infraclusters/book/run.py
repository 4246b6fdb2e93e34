"""Re-execute one chapter as a reader would: ``python -m infraclusters run CHAPTER``.

A chapter is a MyST Markdown notebook with one cell tagged ``parameters``. ``run``
reads the chapter through jupytext, executes it with papermill (a parameter given
as ``--param NAME=VALUE`` replaces its default), and writes into ``--out`` the
executed ``.ipynb``, with every figure as a visible output, and the downloads of
the figures it shows (PNG, SVG, Vega-Lite, CSV, citations). ``run --list`` names
every chapter with its parameters and their defaults, read from that cell.

The case chapters are one template (``chapters/case_template``) run once per
cluster: ``run case_template --param cluster=shanghai_zhangjiang``.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..edition import Edition
from ..handover import Handover
from ..model import Compendium
from .numbering import figure_numbers
from .outputs import check_ours, exclusive, execute, move_into_place, new_staging


class UnknownChapterError(KeyError):
    def __str__(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class Chapter:
    """An executable chapter: its name (as in the table of contents), its file and its parameters."""

    name: str
    path: Path
    parameters: dict

    def command(self, out: str = "OUT") -> str:
        """The command that re-runs it (parameters at their defaults)."""
        return f"python -m infraclusters run {self.name} --out {out}"


def parameters(path: Path) -> dict:
    """The parameters a chapter declares, with their defaults, from its ``parameters`` cell ({} if none)."""
    import jupytext

    notebook = jupytext.read(path, fmt="md:myst")
    for cell in notebook.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            found = {}
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    found[node.targets[0].id] = ast.literal_eval(node.value)
            return found
    return {}


def chapters(root: Path) -> dict[str, Chapter]:
    """Every executable chapter of the table of contents, and the case template, by name."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [entry["file"] for entry in part.get("chapters", []) if "file" in entry]
    files.append("chapters/case_template")
    found = {}
    for file in files:
        path = root / f"{file}.md"
        declared = parameters(path) if path.is_file() else {}
        if declared:
            found[file.removeprefix("chapters/")] = Chapter(file.removeprefix("chapters/"), path, declared)
    return found


def find(name: str, root: Path) -> Chapter:
    """A chapter by its name (``mechanisms``), its entry (``chapters/mechanisms``) or its file path."""
    known = chapters(root)
    key = Path(name).with_suffix("").as_posix().removeprefix("./").removeprefix("chapters/")
    if key in known:
        return known[key]
    listed = ", ".join(known)
    raise UnknownChapterError(f"unknown chapter {name!r}; chapters that run: {listed}")


def parse_values(pairs: list[str], chapter: Chapter) -> dict:
    """``NAME=VALUE`` pairs as parameters: a Python literal where the value is one, else text."""
    values = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep:
            raise ValueError(f"--param {pair!r}: write NAME=VALUE")
        if name not in chapter.parameters:
            known = ", ".join(f"{k} (default {v!r})" for k, v in chapter.parameters.items())
            raise ValueError(f"chapter {chapter.name!r} has no parameter {name!r}; its parameters: {known}")
        default = chapter.parameters[name]
        textual = isinstance(default, str) or (default is None and name.endswith(("_dir", "_id"))) or name == "cluster"
        if textual and raw != "None":
            values[name] = raw  # a folder or a name is text, whatever it looks like (data_dir=1 is the folder "1")
            continue
        try:
            values[name] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            values[name] = raw
    return values


def listing(root: Path) -> str:
    """What ``run --list`` prints: every chapter, its parameters and defaults, and the command."""
    lines = []
    for chapter in chapters(root).values():
        params = ", ".join(f"{k}={v!r}" for k, v in chapter.parameters.items())
        lines.append(f"{chapter.name}: {params}\n    {chapter.command()}")
    return "\n".join(lines)


def run(name: str, out_dir, values: dict, language: str | None, root: Path) -> dict[str, Path]:
    """Execute chapter ``name`` with ``values`` for its parameters; write the notebook and its figures to ``out_dir``."""
    import jupytext

    chapter = find(name, root)
    ed = Edition(language, root=root)
    data_dir = values.get("data_dir") or chapter.parameters.get("data_dir")
    stamp = Path(tempfile.mkdtemp(prefix="infraclusters-run-")) / "validated.json"
    c = Compendium.open(data_dir or root / "data", root, stamp)  # bad data stops here, before a kernel starts
    if "cluster" in values:
        c.cluster(values["cluster"])  # an unknown cluster stops here too, listing the known ones
    out = Path(out_dir).resolve()
    stem = Path(chapter.name).name
    names = (f"{stem}.ipynb", "figures")
    check_ours(out, names)  # a reader's own files stop the command, untouched
    with exclusive(out, f"run {stem}"):
        staging = new_staging(out)
        try:
            notebook = staging / f"{stem}.ipynb"
            jupytext.write(jupytext.read(chapter.path, fmt="md:myst"), notebook)
            (staging / "figures").mkdir()
            handover = Handover(
                root=str(root),
                data_dir=str(c.data_dir),
                language=ed.language,
                validated=str(stamp),  # the kernel does not validate the data again
                exports_dir=str(staging / "figures"),  # the kernel writes each figure's downloads as it shows it
            )
            execute(notebook, values, root, handover)
            _readable(notebook, ed, {} if c.is_layered else figure_numbers(root))
            move_into_place(staging, out, names)
        finally:
            shutil.rmtree(stamp.parent, ignore_errors=True)
            shutil.rmtree(staging, ignore_errors=True)  # only this run's own staging folder
    return {"notebook": out / notebook.name, "figures": out / "figures"}


def _readable(path: Path, ed: Edition, numbers: dict[str, str]) -> None:
    """The executed notebook's prose with its numbers shown and roles resolved (see :mod:`.readable`)."""
    import nbformat

    from .readable import make_readable

    notebook = nbformat.read(path, as_version=4)
    make_readable(notebook, ed, numbers)
    nbformat.write(notebook, path)


def figures_shown(notebook) -> list[str]:
    """The ids of the figures an executed chapter shows (its outputs name them)."""
    found = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            figure_id = output.get("metadata", {}).get("infraclusters", {}).get("figure")
            if figure_id and figure_id not in found:
                found.append(figure_id)
    return found
