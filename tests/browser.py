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


#: Pages a sweep leaves out: theme fragments, sources, and each figure's permanent address (``figures/<id>.html``),
#: a redirect to the chapter that holds it (a sweep would render that chapter again; test_citation checks them).
def reader_pages(site: Path) -> list[str]:
    """Every page a reader opens, both editions, each once."""
    found = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        inner = relative.removeprefix("zh_CN/")
        if inner.startswith(("_static/", "_sources/", "figures/", "notebooks/")) or "/_static/" in inner:
            continue
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8")[:2000]:
            continue  # a redirect (the root index.html, figure addresses): its target is swept
        found.append(relative)
    return found


WAIT_FOR_CHARTS = """() => Array.from(document.querySelectorAll('div[id^="altair-viz-"]'))
    .every(d => d.querySelector('svg, canvas') || d.querySelector('.error'))"""

AXE_SERIOUS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => `${v.id} (${v.impact}): ${v.nodes.length} node(s), e.g. ${v.nodes[0].target.join(' ')}`)"""

PHONE_CHARTS = """() => [...document.querySelectorAll('figure.infra-figure .vega-embed svg.marks')]
    .map(s => [parseFloat(s.getAttribute('width')), s.getBoundingClientRect().width])"""

#: Per figure: its id, whether its box scrolls sideways, and (when it does) whether a visible cue above it links
#: the full-size image; whether the shade at its right edge shows.
CHART_BOXES = """() => [...document.querySelectorAll('figure.infra-figure')].map(f => {
    const box = f.querySelector('.output, .cell_output');
    const cue = f.querySelector('p.infra-scroll-cue');
    const link = cue && cue.querySelector('a');
    const shade = f.querySelector('div.infra-scroll-shade');
    return {id: f.id, scrolls: !!box && box.scrollWidth > box.clientWidth + 1,
            cue: !!cue && !cue.hidden && cue.getBoundingClientRect().height > 0,
            shade: !!shade && !shade.hidden && shade.getBoundingClientRect().height > 0,
            above: !!cue && !!box && cue.getBoundingClientRect().bottom <= box.getBoundingClientRect().top + 1,
            full: link ? link.getAttribute('href') : null};
})"""


#: Touch targets at a phone's width: each claim marker's target (its box or the invisible box around it, the
#: larger) and the height of the chapter's re-run box, which is folded until a reader opens it.
PHONE_TARGETS = """() => {
  const claims = [...document.querySelectorAll('.infra-claim a')].slice(0, 40).map(a => {
    const r = a.getBoundingClientRect(), s = getComputedStyle(a, '::after');
    return [Math.max(r.width, parseFloat(s.width) || 0), Math.max(r.height, parseFloat(s.height) || 0)];
  });
  const box = document.querySelector('.infra-rerun');
  return {claims, rerun: box ? box.getBoundingClientRect().height : null};
}"""


#: Every table of the page's text: whether it is wider than its box (a column off-screen), its narrowest cell
#: padding, and the short terms (研究类基础设施, an id) that wrap onto a second line in a squeezed column.
TABLE_BOXES = """() => [...document.querySelectorAll('article.bd-article table')]
  .filter(t => !t.closest('figure.infra-figure'))
  .map((t, i) => {
    const box = t.parentElement, cells = [...t.querySelectorAll('td, th')];
    const pads = cells.map(c => { const s = getComputedStyle(c); return Math.min(parseFloat(s.paddingLeft),
        parseFloat(s.paddingRight)); });
    const wrapped = cells.filter(c => {
      const text = c.textContent.replace(/\\s+/g, ' ').trim();
      if (!text || text.includes(' ') || text.length > (/[\\u2E80-\\u9FFF]/.test(text) ? 7 : 14)) return false;
      if (c.querySelector('br')) return false;  // lines of their own (中文 over English)
      const tops = new Set(), walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim()) continue;
        const range = document.createRange(); range.selectNodeContents(node);
        [...range.getClientRects()].forEach(r => tops.add(Math.round(r.top)));
      }
      return tops.size > 1;
    }).map(c => c.textContent.trim());
    // running text (longer than a term) in a column narrower than five characters: squeezed by its neighbours
    const cramped = t.classList.contains('infra-cards') ? [] : [...t.querySelectorAll('td')].filter(c => {
      const text = c.textContent.replace(/\\s+/g, ' ').trim(), s = getComputedStyle(c);
      if (text.length <= (/[\\u2E80-\\u9FFF]/.test(text) ? 7 : 14)) return false;
      const inner = c.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      return inner < 5 * parseFloat(s.fontSize);
    }).map(c => c.textContent.trim().slice(0, 20));
    return {index: i, cramped, wider: t.getBoundingClientRect().right > box.getBoundingClientRect().right + 1 ||
              t.scrollWidth > box.clientWidth + 1,
            pad: pads.length ? Math.min(...pads) : null, wrapped, cards: t.classList.contains('infra-cards')};
  })"""


def sweep(site: Path, axe: Path | None) -> dict:
    """One visit per reader page, both editions, offline: at 1366 px (a laptop) whether every chart drew (and any
    script error or request off the machine), axe-core's serious and critical violations, which chart boxes
    scroll; then, the window narrowed to 390 px (a phone), how wide the page scrolls, each chart's
    drawn width beside its own, and the cue under each chart that scrolls. One browser for the
    whole sweep, one load per page."""
    results: dict = {"pages": {}, "errors": [], "blocked": None}
    with serve(site) as base, offline_page() as (page, blocked):
        page.on("pageerror", lambda error: results["errors"].append(f"{page.url}: {error}"))
        for path in reader_pages(site):
            page.set_viewport_size({"width": 1366, "height": 1000})  # a laptop
            page.goto(base + path, wait_until="load")  # the charts are waited for below
            page.wait_for_function("() => document.readyState === 'complete'")
            if chart_states(page):
                page.wait_for_function(WAIT_FOR_CHARTS, timeout=15000)
            entry = {"charts": chart_states(page), "axe": None}
            if axe is not None:
                page.add_script_tag(path=str(axe))
                entry["axe"] = page.evaluate(AXE_SERIOUS)
            entry["laptop_boxes"] = page.evaluate(CHART_BOXES)
            entry["laptop_tables"] = page.evaluate(TABLE_BOXES)
            page.set_viewport_size({"width": 390, "height": 844})  # the same page turned to a phone's width
            page.wait_for_timeout(300)
            entry["phone_width"] = page.evaluate("() => document.scrollingElement.scrollWidth")
            entry["phone_charts"] = page.evaluate(PHONE_CHARTS)
            entry["phone_boxes"] = page.evaluate(CHART_BOXES)
            entry["phone_targets"] = page.evaluate(PHONE_TARGETS)
            entry["phone_tables"] = page.evaluate(TABLE_BOXES)
            page.set_viewport_size({"width": 1366, "height": 1000})  # and back: a cue or shade left by the phone
            page.wait_for_timeout(300)
            entry["laptop_again_boxes"] = page.evaluate(CHART_BOXES)
            results["pages"][path] = entry
        results["blocked"] = list(blocked)
    return results


if __name__ == "__main__":
    import sys

    site, page_path, shot = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    with serve(site) as base, offline_page() as (page, blocked):
        page.goto(base + page_path, wait_until="networkidle")
        page.wait_for_timeout(1500)
        print(chart_states(page))
        print("blocked:", blocked)
        page.screenshot(path=shot, full_page=True)
