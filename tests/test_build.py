"""Build settings that keep the book honest: cached execution, errors fail, nothing from a CDN."""

from __future__ import annotations

import re
import shutil
import subprocess

import yaml
from conftest import JUPYTER_BOOK, ROOT

CDN_SCRIPT = re.compile(r"""<(?:script|link)[^>]+(?:src|href)=["']https?://""", re.I)


def config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def test_execution_is_cached_and_errors_raise():
    settings = config()
    assert settings["execute"]["execute_notebooks"] == "cache"
    assert settings["execute"]["allow_errors"] is False
    assert settings["sphinx"]["config"]["nb_execution_raise_on_error"] is True


def test_no_page_loads_a_script_or_style_from_another_host(built_site):
    offenders = [
        p.relative_to(built_site).as_posix()
        for p in built_site.rglob("*.html")
        if CDN_SCRIPT.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_failing_cell_fails_the_build(tmp_path):
    """The book's own configuration, one chapter whose cell raises: the build must stop."""
    book = tmp_path / "book"
    book.mkdir()
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copy(ROOT / "references.bib", book / "references.bib")
    shutil.copytree(ROOT / "data", book / "data")  # the book's extension exports its figures from data/
    (book / "_toc.yml").write_text("format: jb-book\nroot: broken\n", encoding="utf-8")
    (book / "broken.md").write_text(
        "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n"
        "  display_name: Python 3\n  language: python\n  name: python3\n---\n\n# Broken\n\n"
        "```{code-cell} ipython3\nraise ValueError('this cell is meant to fail')\n```\n",
        encoding="utf-8",
    )
    result = subprocess.run([JUPYTER_BOOK, "build", str(book)], capture_output=True, text=True, cwd=book)
    assert result.returncode != 0
    assert "this cell is meant to fail" in result.stdout + result.stderr
    assert not (book / "_build" / "html" / "broken.html").exists()


def test_readme_quick_start_is_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "pip install -r requirements.txt" in commands[0] and "jupyter-book build" in commands[0]
    assert "pytest" in commands[1]


def test_requirements_are_pinned_and_jupyter_book_stays_on_1x():
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert "-e ." in lines
    pins = dict(line.split("==") for line in lines if line != "-e .")
    assert all(pins.values()) and len(pins) == len(lines) - 1, "every requirement pinned with =="
    assert pins["jupyter-book"].startswith("1.")


def test_editing_a_table_changes_the_built_book(tmp_path):
    """The execution cache must not hide a data edit: the rebuilt page shows the new value."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,  # tracked and new
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    book = tmp_path / "book"
    for name in listed:
        if (ROOT / name).is_file():
            (book / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, book / name)
    subprocess.run([JUPYTER_BOOK, "build", str(book)], cwd=book, check=True, capture_output=True)
    stages = book / "data" / "chain_stages.csv"
    stages.write_text(
        stages.read_text(encoding="utf-8").replace("Frontier basic research", "Frontier research EDITED", 1),
        encoding="utf-8",
    )
    subprocess.run([JUPYTER_BOOK, "build", str(book)], cwd=book, check=True, capture_output=True)
    assert "Frontier research EDITED" in (book / "_build" / "html" / "chapters" / "concepts.html").read_text(
        encoding="utf-8"
    )

    # A chapter cites one more claim: the ledger, built from every chapter's roles, follows it.
    ledger = book / "_build" / "html" / "chapters" / "claims.html"

    def ledger_entry(claim: str) -> str:
        html = ledger.read_text(encoding="utf-8")
        start = html.index(f'id="claim-{claim.lower().replace(".", "-")}"')
        return html[start : html.index("</p>", start)]

    assert "concepts.html" not in ledger_entry("C3.1-01")
    chapter = book / "chapters" / "concepts.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nSee also {claim}`C3.1-01`.\n", encoding="utf-8")
    subprocess.run([JUPYTER_BOOK, "build", str(book)], cwd=book, check=True, capture_output=True)
    assert "concepts.html" in ledger_entry("C3.1-01")
    # Nothing changed: nothing is read again (the summary pages included).
    quiet = subprocess.run([JUPYTER_BOOK, "build", str(book)], cwd=book, check=True, capture_output=True, text=True)
    assert "0 added, 0 changed, 0 removed" in quiet.stdout and "chapters/claims" not in quiet.stdout
