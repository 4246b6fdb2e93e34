"""What a rebuild redoes: input fingerprints, the execution cache, and pages Sphinx must re-read.

Sphinx tracks each page's own source only, and jupyter-cache keys a chapter on
its own code cells only. The package, the data, the bibliography and (for the
Chinese edition) the translations are inputs of every page too; this module
fingerprints them, empties the execution cache when they change, and tells
Sphinx which pages to re-read.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from .config import BookConfig

#: The package's sources (this file's package's parent).
PACKAGE = Path(__file__).resolve().parents[1]


def fingerprint(*roots: Path) -> str:
    """A SHA-256 over the names and bytes of every file under ``roots`` (caches and compiled catalogues left out)."""
    digest = hashlib.sha256()
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".mo":  # .mo: compiled by the build itself
                continue
            digest.update(str(path.relative_to(root if root.is_dir() else root.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def write_if_changed(target: Path, key: str, produce) -> None:
    """Run ``produce(target)`` unless the stamp beside ``target`` holds ``key``; stamp only after it succeeds."""
    stamp = target.with_name(target.name + ".sha256")  # beside, not inside: the folder is copied to the site
    if stamp.is_file() and stamp.read_text() == key:
        return
    target.mkdir(parents=True, exist_ok=True)
    produce(target)
    stamp.write_text(key)


def inputs(config: BookConfig) -> list[Path]:
    """What every page depends on besides its own source: the package, data, bibliography (and translations)."""
    from ..edition import locale_dir

    found = [PACKAGE, config.data_dir, config.root / "references.bib"]
    if not config.edition.is_english and locale_dir(config.root).is_dir():
        found.append(locale_dir(config.root))
    return found


def invalidate_stale_execution_cache(app, sphinx_config, config: BookConfig) -> None:
    """Empty the jupyter-cache when the package, data or bibliography changed.

    jupyter-cache keys a chapter on its own code cells only, so an edit to a
    data table or to the package would otherwise leave stale outputs in the
    book. Every chapter depends on both, so any such change re-executes all;
    an edit to one chapter's code still re-executes only that chapter.
    """
    cache = Path(sphinx_config.nb_execution_cache_path or Path(app.doctreedir).parent / ".jupyter_cache")
    if not cache.is_absolute():
        cache = Path(app.confdir) / cache
    sphinx_config.nb_execution_cache_path = str(cache)
    key = fingerprint(*inputs(config))
    stamp = cache / "infraclusters-inputs.sha256"
    if cache.exists() and not (stamp.is_file() and stamp.read_text() == key):
        shutil.rmtree(cache)
        app.infraclusters_inputs_changed = True  # see outdated_docs
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key)


def outdated_docs(app, env, added, changed, removed):
    """Pages Sphinx would skip but must re-read.

    Every page when the package, data or bibliography changed (Sphinx tracks
    only each page's own source, and its notebook must re-execute). The pages
    that summarise the others (claims ledger, gallery, colophon) when any page
    was added, changed or removed, or the commit changed: the ledger reflects
    every chapter's {claim} roles and the colophon names the commit.
    """
    previous = getattr(env, "infraclusters_summary_key", None)  # kept in the pickled environment
    key = env.infraclusters_summary_key = commit_state(app.srcdir)
    if getattr(app, "infraclusters_inputs_changed", False):
        return sorted(env.found_docs - set(changed) - set(added))
    if not (added or changed or removed) and previous == key:
        return []
    summaries = ("/claims", "/colophon", "/gallery")
    return [doc for doc in env.found_docs if doc.endswith(summaries) and doc not in changed]


def git(srcdir, *args) -> str:
    """Output of a git command in the book's folder, or "" (no git, or not a checkout)."""
    try:
        return subprocess.run(["git", *args], cwd=srcdir, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


def commit_state(srcdir) -> str:
    """The commit and whether tracked files differ from it (what the colophon reports)."""
    return git(srcdir, "rev-parse", "HEAD") + git(srcdir, "status", "--porcelain", "--untracked-files=no")
