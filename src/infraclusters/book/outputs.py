"""Writing a command's results into a reader's folder: stage, check that nothing there is the reader's, move in.

Shared by ``case``, ``compare`` and ``run`` (:mod:`.render`, :mod:`.run`); also
how they execute a notebook (papermill, the hand-over in the kernel's
environment). Kept apart from the page rendering so that ``run`` does not load
the figures and Sphinx parts it never uses.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..handover import Handover


def execute(notebook: Path, parameters: dict, cwd: Path, handover: Handover) -> None:
    """Execute ``notebook`` in place with papermill; its kernel inherits the hand-over in its environment."""
    import papermill

    previous = dict(os.environ)
    os.environ.update(handover.environ())
    try:
        papermill.execute_notebook(
            str(notebook), str(notebook), parameters=parameters, cwd=str(cwd), kernel_name="python3", progress_bar=False
        )
    finally:
        os.environ.clear()
        os.environ.update(previous)


#: Where ``case`` makes the page before moving it into ``--out``, and where it lists what it wrote there.
STAGING = ".infraclusters-case-staging"
MANIFEST = ".infraclusters-case.json"


def _files(out: Path, names) -> set[str]:
    """Every file under these names of ``out``, relative to it."""
    found = set()
    for name in names:
        path = out / name
        if path.is_file() or path.is_symlink():
            found.add(name)
        elif path.is_dir():
            found.update(p.relative_to(out).as_posix() for p in path.rglob("*") if p.is_file() or p.is_symlink())
    return found


def check_ours(out: Path, names) -> None:
    """Stop, changing nothing, if ``out`` holds a file under these names that ``case`` did not write.

    ``case`` lists the files it wrote in ``out/.infraclusters-case.json``; only
    those may be replaced by a later run. Anything else is the reader's.
    """
    import json

    manifest = out / MANIFEST
    try:
        ours = set(json.loads(manifest.read_text(encoding="utf-8"))) if manifest.is_file() else set()
    except ValueError:
        ours = set()
    foreign = sorted(_files(out, names) - ours)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise FileExistsError(
            f"{out}: {shown} already there and not written by the case command; nothing was changed. "
            "Choose an empty --out, or move those files away first."
        )


def move_into_place(staging: Path, out: Path, names) -> None:
    """Replace what ``case`` wrote before with the new page, then list the new files as ``case``'s."""
    import json

    check_ours(out, names)  # again: the reader may have added a file while the page was made
    for name in names:
        target = out / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        (staging / name).rename(target)
    shutil.rmtree(staging)
    (out / MANIFEST).write_text(json.dumps(sorted(_files(out, names)), indent=0), encoding="utf-8")
