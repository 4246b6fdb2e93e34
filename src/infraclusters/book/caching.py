"""What a rebuild redoes: only what changed, and nothing stamped before it succeeded.

Sphinx tracks each page's own source only, and jupyter-cache keys a chapter on
its own code cells only. This module adds the other inputs, each with the
least work it calls for:

==========================================  =============================================
changed                                     redone
==========================================  =============================================
code a chapter runs (``model/``, ``text/``,  every chapter re-executed and re-read
``figures/notebook.py``, ``edition.py``,
``handover.py``,
``__init__.py``; in the Chinese edition
also the package's own catalogues)
one data table                              the chapters that read it (recorded when they
                                            ran) re-executed and re-read; the pages
                                            generated from it re-read (Sphinx dependency)
chart or book code (``figures/``,           every page re-read, none re-executed; the
``book/``), the bibliography                downloads re-exported (a figure's images only
                                            when its spec changed)
a chapter's translation                     that Chinese page (Sphinx's own dependency)
==========================================  =============================================

State lives with the build environment it describes (in its doctree folder:
the HTML site and the single-page HTML of the PDF each have their own), in
``infraclusters-state.json``, and is written only when a build finishes without
error. Pages a build set out to redo are listed in ``infraclusters-pending.json``
there as soon as they are known and cleared at the same moment, so a build
interrupted at any point (SIGINT, SIGTERM, SIGKILL) leaves them to the next
build: it then gives the same site as a clean build. The execution cache, which
both builds share, records beside it (``infraclusters-executed.json``) the code
its notebooks ran: it is emptied when that code changes, whichever build sees
the change first.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

from .config import BookConfig

#: The package's sources (this file's package's parent).
PACKAGE = Path(__file__).resolve().parents[1]
#: What a chapter's kernel runs: a change here re-executes every chapter.
EXECUTED_CODE = ("model", "text", "figures/notebook.py", "edition.py", "handover.py", "__init__.py")
STATE = "infraclusters-state.json"
PENDING = "infraclusters-pending.json"
EXECUTED = "infraclusters-executed.json"


def fingerprint(*roots: Path) -> str:
    """A SHA-256 over the names and bytes of every file under ``roots`` (caches and compiled catalogues left out)."""
    digest = hashlib.sha256()
    for root in roots:
        if not root.exists():
            continue
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
    stamp.unlink(missing_ok=True)  # an interrupted export must not look finished
    produce(target)
    stamp.write_text(key)


def inputs(config: BookConfig) -> list[Path]:
    """Everything the figure downloads depend on: the package, data, bibliography (and translations)."""
    from ..edition import locale_dir

    found = [PACKAGE, config.data_dir, config.root / "references.bib", config.root / "CITATION.cff"]
    if not config.edition.is_english and locale_dir(config.root).is_dir():
        found.append(locale_dir(config.root))
    return found


def current_state(config: BookConfig) -> dict:
    """The fingerprints a build is made from, in the groups of the table above."""
    executed = [PACKAGE / part for part in EXECUTED_CODE]
    if not config.edition.is_english:
        from ..edition import CODE_DOMAIN, DATA_DOMAIN

        executed += [config.edition.catalogue_path(CODE_DOMAIN), config.edition.catalogue_path(DATA_DOMAIN)]
    shown = [PACKAGE / "figures", PACKAGE / "book", config.root / "references.bib"]
    tables = {path.stem: fingerprint(path) for path in sorted(config.data_dir.glob("*.csv"))}
    tables["datapackage"] = fingerprint(config.data_dir / "datapackage.json")
    return {"executed": fingerprint(*executed), "shown": fingerprint(*shown), "tables": tables}


def cache_dir(app, sphinx_config) -> Path:
    cache = Path(sphinx_config.nb_execution_cache_path or Path(app.doctreedir).parent / ".jupyter_cache")
    if not cache.is_absolute():
        cache = Path(app.confdir) / cache
    sphinx_config.nb_execution_cache_path = str(cache)
    return cache


def _read_json(path: Path, default):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def plan(app, sphinx_config, config: BookConfig) -> None:
    """Compare this build's inputs with the last finished build's; forget the executions that are stale.

    Sets ``app.infraclusters_plan``: which pages to re-read (``all`` or a set of
    docnames), the new state to write on success, and the recorded reads.
    """
    cache = cache_dir(app, sphinx_config)
    home = Path(app.doctreedir)  # this build environment's own folder: its state is kept there
    home.mkdir(parents=True, exist_ok=True)
    previous = _read_json(home / STATE, {})
    state = current_state(config)
    reads = previous.get("reads", {})
    reread: set[str] | str = set()
    if _read_json(cache / EXECUTED, {}).get("executed") != state["executed"] or not cache.exists():
        if cache.exists():
            shutil.rmtree(cache)  # every chapter runs this code: execute all again
        cache.mkdir(parents=True)
        (cache / EXECUTED).write_text(json.dumps({"executed": state["executed"]}), encoding="utf-8")
    if previous.get("executed") != state["executed"]:
        reread = "all"
    else:
        changed = {t for t, h in state["tables"].items() if previous.get("tables", {}).get(t) != h}
        stale = {doc for doc, tables in reads.items() if changed & set(tables) or "datapackage" in changed}
        forget_executions(cache, config.root, stale)  # perhaps run again already by the other build: then twice
        reread = "all" if previous.get("shown") != state["shown"] else stale
    cache.mkdir(parents=True, exist_ok=True)
    app.infraclusters_plan = {"reread": reread, "state": state, "reads": dict(reads), "cache": cache, "home": home}


def forget_executions(cache: Path, root: Path, docnames: set[str]) -> None:
    """Remove the cached executions of these pages, so they run again."""
    if not docnames or not (cache / "global.db").is_file():
        return
    from jupyter_cache import get_cache

    jc = get_cache(str(cache))
    paths = {str((root / doc).with_suffix(".md").resolve()) for doc in docnames}
    for record in jc.list_project_records():
        if str(Path(record.uri).resolve()) in paths:
            try:
                cached = jc.get_cached_project_nb(record.pk)
            except Exception:  # a project notebook that can no longer be read: nothing cached to forget
                cached = None
            if cached is not None:
                jc.remove_cache(cached.pk)


def outdated_docs(app, env, added, changed, removed):
    """Pages Sphinx would skip but must re-read.

    Those of the plan (see :func:`plan`), those an interrupted build left
    pending, and the pages that summarise the others (claims ledger, gallery,
    colophon) when any page was added, changed or removed, or the commit
    changed: the ledger reflects every chapter's {claim} roles and the
    colophon names the commit.
    """
    plan_ = getattr(app, "infraclusters_plan", None) or {"reread": set(), "home": None}
    reread = env.found_docs if plan_["reread"] == "all" else set(plan_["reread"]) & env.found_docs
    pending_file = plan_["home"] / PENDING if plan_["home"] else None
    pending = set(_read_json(pending_file, [])) & env.found_docs if pending_file else set()
    previous = getattr(env, "infraclusters_summary_key", None)  # kept in the pickled environment
    key = env.infraclusters_summary_key = commit_state(app.srcdir)
    summaries = set()
    if added or changed or removed or previous != key or reread or pending:
        summaries = {doc for doc in env.found_docs if doc.endswith(("/claims", "/colophon", "/gallery", "/changes"))}
    extra = (reread | pending | summaries) - set(changed) - set(added)
    if pending_file:  # known before any page is read: an interruption from here on leaves them to the next build
        pending_file.write_text(json.dumps(sorted(pending | reread | set(changed) | set(added))), encoding="utf-8")
    return sorted(extra)


def start_reading(app, docname: str, source) -> None:
    """Before a page is read (and its notebook perhaps executed): forget what the last kernel recorded."""
    config = getattr(app, "infraclusters_config", None)
    if config is not None and config.reads_dir.is_dir():
        shutil.rmtree(config.reads_dir)


def finish_reading(app, doctree) -> None:
    """After a page is read: the tables its kernel recorded, if it executed."""
    config = getattr(app, "infraclusters_config", None)
    plan_ = getattr(app, "infraclusters_plan", None)
    if config is None or plan_ is None or not config.reads_dir.is_dir():
        return
    tables: set[str] = set()
    for record in config.reads_dir.glob("*.json"):
        tables.update(_read_json(record, []))
    if tables:
        plan_["reads"][app.env.docname] = sorted(tables)


def build_finished(app, exception) -> None:
    """Only a build that succeeded stamps its inputs and clears what it had pending."""
    plan_ = getattr(app, "infraclusters_plan", None)
    if exception is not None or plan_ is None:
        return
    home = plan_["home"]
    state = {**plan_["state"], "reads": plan_["reads"]}
    (home / STATE).write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    (home / PENDING).unlink(missing_ok=True)


def git(srcdir, *args) -> str:
    """Output of a git command in the book's folder, or "" (no git, or not a checkout)."""
    try:
        return subprocess.run(["git", *args], cwd=srcdir, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


def commit_state(srcdir) -> str:
    """The commit and whether tracked files differ from it (what the colophon reports)."""
    return git(srcdir, "rev-parse", "HEAD") + git(srcdir, "status", "--porcelain", "--untracked-files=no")
