"""Every internal link, cross-reference, anchor and download of the built site resolves (offline).

LinkChecker (a real client) follows every link and download of both editions; the anchors (``page.html#id``)
are checked here, each page parsed once, since LinkChecker's anchor plugin fetches a page again for every
anchor that points into it (2.5 min against a few seconds).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.site  # see the tiers in conftest.py: about 10 s

CONFIG = str(ROOT / "tools" / "linkcheckerrc")


def readable_copy(source: Path) -> Path:
    """A world-readable copy: run as root, LinkChecker drops to user nobody before reading files."""
    target = Path(tempfile.mkdtemp(prefix="infraclusters-links-")) / "site"
    shutil.copytree(source, target)
    for directory in [target.parent, target, *(p for p in target.rglob("*") if p.is_dir())]:
        os.chmod(directory, 0o755)
    for file in target.rglob("*"):
        if file.is_file():
            os.chmod(file, 0o644)
    return target


#: LinkChecker, run as root, drops to user ``nobody`` before it reads the site, and then cannot import its own
#: modules from a virtual environment that ``nobody`` may not read (a venv under /root, say). The check runs
#: as the user who started it instead, wherever the environment lives; the site is a readable copy anyway.
RUN_AS_INVOKER = (
    "import sys; import linkcheck.command.linkchecker as cli; cli.drop_privileges = lambda: None; "
    "sys.argv[0] = 'linkchecker'; sys.exit(cli.linkchecker())"
)


def check(start: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", RUN_AS_INVOKER, "-f", CONFIG, "--no-status", str(start)]
    return subprocess.run(command, capture_output=True, text=True)


def test_built_site_has_no_broken_internal_link(built_site):
    site = readable_copy(built_site)
    try:
        result = check(site / "index.html")
    finally:
        shutil.rmtree(site.parent)
    assert result.returncode == 0, result.stdout[-4000:]
    assert " 0 errors found" in result.stdout


def test_the_checker_does_catch_a_broken_link(tmp_path):
    (tmp_path / "index.html").write_text(
        '<html><body><a href="page.html">ok</a> <a href="missing.html">gone</a></body></html>', encoding="utf-8"
    )
    (tmp_path / "page.html").write_text("<html><body>here</body></html>", encoding="utf-8")
    site = readable_copy(tmp_path)
    try:
        result = check(site / "index.html")
    finally:
        shutil.rmtree(site.parent)
    assert result.returncode != 0 and " 1 error found" in result.stdout


class _Anchors(HTMLParser):
    """The ids and names a page defines, and the (href, line) of every link it makes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name"):
            if attributes.get(name):
                self.ids.add(attributes[name])
        if tag == "a" and attributes.get("href"):
            self.links.append((attributes["href"], self.getpos()[0]))


def broken_anchors(site: Path) -> list[str]:
    """``page:line: href`` for every link to ``page.html#anchor`` of the site whose anchor the page lacks."""
    from urllib.parse import unquote, urlsplit

    parsed: dict[Path, _Anchors] = {}

    def page(path: Path) -> _Anchors:
        if path not in parsed:
            parser = _Anchors()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            parsed[path] = parser
        return parsed[path]

    broken = []
    for source in sorted(site.rglob("*.html")):
        if "_static" in source.relative_to(site).parts:
            continue
        for href, line in page(source).links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.fragment:
                continue
            target = (source.parent / unquote(parts.path)).resolve() if parts.path else source
            if target.is_dir():
                target = target / "index.html"
            if target.suffix != ".html" or not target.is_file():
                continue  # a missing page is LinkChecker's to report
            if unquote(parts.fragment) not in page(target).ids:
                broken.append(f"{source.relative_to(site)}:{line}: {href}")
    return broken


def test_every_anchor_a_page_links_to_exists(built_site):
    assert broken_anchors(built_site) == []


def test_the_anchor_check_finds_a_missing_anchor(tmp_path):
    (tmp_path / "index.html").write_text(
        '<a href="page.html#here">ok</a> <a href="page.html#gone">gone</a> <a href="#top">top</a> <p id="top"></p>',
        encoding="utf-8",
    )
    (tmp_path / "page.html").write_text('<h2 id="here">here</h2>', encoding="utf-8")
    assert broken_anchors(tmp_path) == ["index.html:1: page.html#gone"]
