"""Writing a command's results into a reader's folder: stage, check that nothing there is the reader's, move in.

Shared by ``case``, ``compare`` and ``run`` (:mod:`.render`, :mod:`.run`); also
how they execute a notebook (papermill, the hand-over in the kernel's
environment). Kept apart from the page rendering so that ``run`` does not load
the figures and Sphinx parts it never uses.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
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


#: Where ``case`` makes the page before moving it into ``--out`` (one folder per run, this prefix and a random
#: tail), and where it lists what it wrote there.
STAGING = ".infraclusters-case-staging"
MANIFEST = ".infraclusters-case.json"
#: Held while a command writes into its ``--out``; names the run holding it.
LOCK = ".infraclusters.lock"


@contextmanager
def exclusive(out: Path, command: str):
    """Only one run writes into ``out`` at a time: a second stops at once, naming the first (and changes
    nothing). The lock is the operating system's (``flock``): a killed run holds it no longer."""
    import fcntl

    out.mkdir(parents=True, exist_ok=True)
    lock = out / LOCK
    handle = open(lock, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        other = handle.read().strip() or "another run"
        handle.close()
        raise FileExistsError(
            f"{out}: {other} is writing into this folder now; nothing was changed. "
            "Wait for it to finish, or choose another --out."
        ) from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"{command} (process {os.getpid()})")
        handle.flush()
        yield
    finally:
        lock.unlink(missing_ok=True)
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def new_staging(out: Path) -> Path:
    """A staging folder of this run's own inside ``out`` (same file system, so the final move is a rename)."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix=STAGING + "-", dir=out))


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


def check_ours(out: Path, names, whole_folder: bool = False) -> None:
    """Stop, changing nothing, if ``out`` holds a file under these names that ``case`` did not write (with
    ``whole_folder``: any file at all that it did not write, as ``case`` and ``compare`` promise).

    ``case`` lists the files it wrote in ``out/.infraclusters-case.json``; only
    those may be replaced by a later run. Anything else is the reader's.
    """
    import json

    manifest = out / MANIFEST
    try:
        ours = set(json.loads(manifest.read_text(encoding="utf-8"))) if manifest.is_file() else set()
    except ValueError:
        ours = set()
    present = _files(out, names)
    if whole_folder and out.is_dir():
        present = {
            p.relative_to(out).as_posix()
            for p in out.rglob("*")
            if (p.is_file() or p.is_symlink()) and not p.relative_to(out).parts[0].startswith((STAGING, LOCK, MANIFEST))
        }
    foreign = sorted(present - ours)
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
        if (staging / name).exists():  # a name this run no longer writes (an earlier run's build folder): removed
            (staging / name).rename(target)
    shutil.rmtree(staging)
    (out / MANIFEST).write_text(json.dumps(sorted(_files(out, names)), indent=0), encoding="utf-8")


#: Where ``figures --out`` lists the files it wrote (only those may be replaced by a later run).
FIGURES_MANIFEST = ".infraclusters-figures.json"
#: Folders of the book's own sources: never an ``--out`` (a release's source archive and the data zip read them).
SOURCE_FOLDERS = ("data", "chapters", "src", "locales", "tests", "tools", "benchmarks", "releases", ".git", ".ci")


def check_figures_out(out: Path, root: Path) -> None:
    """Stop, changing nothing, if ``figures --out`` names the book's own folder or holds files it did not write."""
    import json

    out, root = Path(out).resolve(), Path(root).resolve()
    if out == root or any(out.is_relative_to(root / folder) for folder in SOURCE_FOLDERS):
        raise FileExistsError(
            f"{out}: this is the book's own folder (its sources, which a release archives); nothing was written. "
            "Choose a folder of its own for --out, e.g. figures-out/."
        )
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out}: not a folder; nothing was written")
    manifest = out / FIGURES_MANIFEST
    try:
        ours = set(json.loads(manifest.read_text(encoding="utf-8"))) if manifest.is_file() else set()
    except ValueError:
        ours = set()
    found = (
        {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() or p.is_symlink()}
        if out.is_dir()
        else set()
    )
    foreign = sorted(found - ours - {FIGURES_MANIFEST, LOCK})
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise FileExistsError(
            f"{out}: {shown} already there and not written by the figures command; nothing was changed. "
            "Choose an empty --out, or move those files away first."
        )


def record_figures_out(out: Path, written) -> None:
    import json

    out = Path(out).resolve()
    names = sorted({Path(p).resolve().relative_to(out).as_posix() for p in written if Path(p).exists()})
    (out / FIGURES_MANIFEST).write_text(json.dumps(names, indent=0), encoding="utf-8")
