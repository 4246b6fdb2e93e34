"""Headless Chromium over the built site, with every request off this machine refused.

Shared by the browser test and by anyone who wants a screenshot of a page:
``python tests/browser.py _build/html chapters/concepts.html shot.png``.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def serve(root: Path):
    """Serve ``root`` on a free loopback port; yields the base URL."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))

    class Quiet(handler.func):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@contextmanager
def offline_page():
    """A Playwright page in Debian's Chromium whose requests leave loopback never.

    Yields ``(page, blocked)``: ``blocked`` collects every URL the page tried to
    fetch from anywhere but 127.0.0.1.
    """
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 1000})

        def gate(route):
            host = urlparse(route.request.url).hostname
            if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort("internetdisconnected")

        context.route("**/*", gate)
        page = context.new_page()
        try:
            yield page, blocked
        finally:
            browser.close()


def chart_states(page) -> list[dict]:
    """For every Altair output on the page: whether Vega drew it, and any error text."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('div[id^="altair-viz-"]')).map(div => ({
            id: div.id,
            drawn: !!div.querySelector('svg.marks, canvas.marks, svg, canvas'),
            error: (div.querySelector('.error') || {}).textContent || null,
        }))"""
    )


if __name__ == "__main__":
    import sys

    site, page_path, shot = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    with serve(site) as base, offline_page() as (page, blocked):
        page.goto(base + page_path, wait_until="networkidle")
        page.wait_for_timeout(1500)
        print(chart_states(page))
        print("blocked:", blocked)
        page.screenshot(path=shot, full_page=True)
