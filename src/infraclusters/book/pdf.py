"""The PDF edition: the book as one HTML page, printed by headless Chromium.

``python -m infraclusters pdf`` builds Sphinx's single-page HTML (figures as
their exported images, so the print matches the figure kit), opens it in
Debian's Chromium through Playwright, adds a table of contents and print
styles, and prints it with page numbers and a bookmark outline. Nothing is
downloaded: the browser is the one the tests already use.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

from ..handover import PACKAGE_ROOT
from . import print_fonts

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .header-article, .prev-next-area, .bd-footer,
.bd-footer-content, .footer-article, .search-button-field, .theme-switch-button, .toc-entry,
.infra-figure-downloads, details.infra-figure-alt, .headerlink, .cell_input, .tag_remove-input .cell_input,
.sphinx-bs, .bd-header-article, .skip-link, #pst-back-to-top, .bd-toc, nav.bd-links,
#jb-print-docs-body { display: none !important; }
.bd-main, .bd-content, .bd-article-container, .bd-page-width { max-width: 100% !important; width: 100% !important; }
body, body h1, body h2, body h3, body p, body li, body td, body th, body figcaption, body dt, body dd, body a,
body span, body em, body strong { font-family: "InfraLatin", "InfraCJK", "Noto Sans CJK SC", sans-serif; }
body { font-size: 10.5pt; }
pre, code, pre span, code span { font-family: "DejaVu Sans Mono", "InfraCJK", monospace !important; }
pre { white-space: pre-wrap !important; overflow-wrap: anywhere; }
/* Screen-only: the toggles that fold code away (the code itself is left out of print) */
details > summary, .toggle-details__summary, .cell_input, .infra-rerun { display: none !important; }
details:not([open]) > *:not(summary) { display: block !important; }
#infra-title-page { page-break-after: always; padding-top: 45mm; }
#infra-title-page .infra-title { font-size: 26pt; font-weight: bold; line-height: 1.25; margin-bottom: 8mm;
  white-space: pre-line; }
#infra-title-page p { font-size: 11pt; margin: 3mm 0; }
#infra-title-page .infra-title-cite { margin-top: 25mm; font-size: 9.5pt; color: #333; }
h2 { page-break-after: avoid; }
/* Each chapter (and appendix) starts on a new page: singlehtml marks where each document begins */
span[id^="document-"] + section { break-before: page; }
figure, table, img { page-break-inside: avoid; }
/* On paper a table has the page's width, no more: a long address in a cell breaks where it must; an identifier
   (code) keeps its column as wide as it is, and breaks only if it alone is wider than the page */
table td, table th { padding: 0.3em 0.5em !important; }
table :is(td, th) > p:first-child { margin-top: 0; }
table :is(td, th) > p:last-child { margin-bottom: 0; }
table a { overflow-wrap: anywhere; }
table :is(code, span.pre) { overflow-wrap: break-word; }
/* A figure and its caption fit one page: the picture is scaled (never cropped) to leave the caption room */
img.infra-static-figure { max-width: 100%; max-height: 200mm; width: auto; height: auto; object-fit: contain; }
/* The landing page's key figure likewise: a block on a page of its own if need be, never across a page break */
img.infra-key-figure { display: block; max-width: 100%; max-height: 180mm; width: auto; height: auto;
  break-inside: avoid; page-break-inside: avoid; }
/* The gallery in print: each figure's title, caption, source and citation; its thumbnail and BibTeX are the
   screen's (a thumbnail is unreadable on paper, the figure itself is printed in its chapter) */
img.infra-thumb, div.highlight-bibtex { display: none !important; }
#infra-print-toc { page-break-after: always; }
#infra-print-toc li { margin: 0.15em 0; display: flex; align-items: baseline; }
#infra-print-toc li .infra-toc-leader { flex: 1; border-bottom: 1px dotted #888; margin: 0 0.4em; min-width: 2em; }
#infra-print-toc li .infra-toc-page { font-variant-numeric: tabular-nums; }
"""


def latin_faces(language: str | None) -> str:
    """@font-face rules that set Latin text (and, in English, its curly quotes and apostrophes) in DejaVu Sans;
    Chinese falls through to Noto Sans CJK. Set in a CJK font, an English apostrophe took a full-width glyph."""
    ranges = "U+0000-024F, U+2010-2015, U+2026, U+00A0-00FF"
    if language != "zh_CN":  # in Chinese text, “ ” ‘ ’ are Chinese punctuation: the CJK font's
        ranges += ", U+2018-201F"
    return "".join(
        f'@font-face {{ font-family: "InfraLatin"; src: local("{face}"); font-weight: {weight}; '
        f"font-style: {style}; unicode-range: {ranges}; }}\n"
        for face, weight, style in (
            ("DejaVu Sans", 400, "normal"),
            ("DejaVu Sans Bold", 700, "normal"),
            ("DejaVu Sans Oblique", 400, "italic"),
            ("DejaVu Sans Bold Oblique", 700, "italic"),
        )
    )


TITLE_SCRIPT = """(title) => {
  const page = document.createElement('section');
  page.id = 'infra-title-page';
  for (const [tag, cls, text] of title) {
    const element = document.createElement(tag);
    if (cls) element.className = cls;
    element.textContent = text;
    page.appendChild(element);
  }
  const main = document.querySelector('main') || document.body;
  main.insertBefore(page, main.firstChild);
}"""


def title_page(language: str | None) -> list[tuple[str, str, str]]:
    """The title page's lines (tag, class, text), as text: title, what it reproduces, version and date, licence."""
    from ..edition import Edition
    from ..text import citation

    ed = Edition(language)
    return [
        # not a heading: Chromium's bookmark of a heading that wraps joins its lines with no space ("Industriesof")
        # a Chinese title breaks after its colon, not where the line happens to end (可执|行)
        (
            "p",
            "infra-title",
            citation.book_title(ed).replace("：", "：\n", 1) if ed.is_chinese else citation.book_title(ed),
        ),
        ("p", "", ed.t("The paper it reproduces:") + " " + citation.paper_text(ed)),
        ("p", "", ed.t("Version {version}, {date}").format(version=citation.BOOK_VERSION, date=citation.BOOK_DATE)),
        ("p", "", ed.t("Text and figures CC BY 4.0; code MIT; quoted passages of the paper remain the authors'.")),
        ("p", "infra-title-cite", ed.t("Cite as:") + " " + citation.book_text(ed)),
    ]


#: A rubric (a table's or figure's heading in the ledger, the gallery, the data dictionary) is printed one level
#: below its chapter's title, so the bookmarks nest it under its chapter instead of beside the chapters.
RUBRIC_SCRIPT = """() => {
  const rubrics = Array.from(document.querySelectorAll('main h2.rubric'));
  rubrics.forEach(h => {
    const lower = document.createElement('h3');
    for (const a of h.attributes) lower.setAttribute(a.name, a.value);
    lower.innerHTML = h.innerHTML;
    h.replaceWith(lower);
  });
  return rubrics.length;
}"""

TOC_SCRIPT = """() => {
  const headings = Array.from(document.querySelectorAll('main h2'));
  const toc = document.createElement('nav');
  toc.id = 'infra-print-toc';
  toc.innerHTML = '<h2>Contents 目录</h2>';
  const list = document.createElement('ol');
  headings.forEach(h => {
    const section = h.closest('section');
    if (!section || !section.id) return;
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = '#' + section.id;
    link.textContent = h.textContent.replace('#', '').trim();
    item.appendChild(link);
    const leader = document.createElement('span');
    leader.className = 'infra-toc-leader';
    item.appendChild(leader);
    const number = document.createElement('span');
    number.className = 'infra-toc-page';
    number.textContent = '000';  // the page number, written once a first print has placed the heading
    item.appendChild(number);
    list.appendChild(item);
  });
  toc.appendChild(list);
  const main = document.querySelector('main') || document.body;
  main.insertBefore(toc, main.firstChild);
  return headings.length;
}"""

NUMBER_SCRIPT = """(numbers) => {
  const cells = Array.from(document.querySelectorAll('#infra-print-toc .infra-toc-page'));
  cells.forEach((cell, i) => { cell.textContent = numbers[i] || ''; });
  return cells.length;
}"""


def _plain(text: str) -> str:
    """A heading's text for matching: no permalink sign, no whitespace."""
    return "".join(text.replace("#", "").split())


def bookmark_pages(pdf: bytes) -> list[tuple[str, int]]:
    """Every bookmark of a printed PDF in order: (its title as plain text, the page it opens, from 1)."""
    import io

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((_plain(str(item.title)), reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return found


def contents_numbers(headings: list[str], bookmarks: list[tuple[str, int]]) -> list[str]:
    """The page number of each contents entry: the next bookmark, in reading order, with the entry's title.

    An entry no bookmark names keeps no number (it prints blank, never a guess).
    """
    numbers, start = [], 0
    for heading in map(_plain, headings):
        for position in range(start, len(bookmarks)):
            if bookmarks[position][0] == heading:
                numbers.append(str(bookmarks[position][1]))
                start = position + 1
                break
        else:
            numbers.append("")
    return numbers


FOOTER = (
    '<div style="width:100%; font-size:8px; text-align:center; font-family: sans-serif;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def build_singlehtml(root: Path | None = None) -> Path:
    """Sphinx's single-page HTML of the English edition: its own build environment, the execution cache shared.

    A build environment of its own (``_build/.doctrees-singlehtml-en``): pages
    read for print (figures as images) never stand in for the site's.
    """
    from . import editions

    return editions.build("en", root or PACKAGE_ROOT, builder="singlehtml")


def print_pdf(site: Path, out: Path, language: str | None = None) -> Path:
    """Print ``site/index.html`` to ``out`` with Chromium: contents, page numbers, bookmarks."""
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser_path is None:
        raise FileNotFoundError("Chromium is needed to print the PDF: apt-get install chromium")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=browser_path,
                args=[
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            page = browser.new_page()
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if "127.0.0.1" in route.request.url else route.abort("internetdisconnected")
                ),
            )
            start = (
                next(site.glob("**/index.html"), None)
                if not (site / "chapters" / "index.html").is_file()
                else site / "chapters" / "index.html"
            )
            page.goto(
                f"http://127.0.0.1:{server.server_address[1]}/{start.relative_to(site).as_posix()}",
                wait_until="networkidle",
            )
            page.evaluate(RUBRIC_SCRIPT)
            contents = "目录" if language == "zh_CN" else "Contents 目录"
            page.evaluate(TOC_SCRIPT.replace("Contents 目录", contents))
            page.evaluate(TITLE_SCRIPT, [list(line) for line in title_page(language)])
            characters = "".join(sorted(set(page.evaluate("document.body.textContent")) | set("0123456789 /")))
            faces = print_fonts.cjk_faces(
                characters, site / "_static" / "infra-print-fonts", "/_static/infra-print-fonts"
            )
            page.add_style_tag(content=latin_faces(language) + faces + PRINT_CSS)
            page.evaluate("document.fonts.ready")
            options = {
                "format": "A4",
                "print_background": True,
                "display_header_footer": True,
                "header_template": "<span></span>",
                "footer_template": FOOTER,
                "outline": True,
                "tagged": True,
                "margin": {"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"},
            }
            # Twice: the first print places every heading on its page (its bookmarks say where), the second
            # prints those numbers in the contents, which hold a three-digit placeholder the first time, so
            # the pages do not move.
            headings = page.eval_on_selector_all("#infra-print-toc li a", "links => links.map(a => a.textContent)")
            numbers = contents_numbers(headings, bookmark_pages(page.pdf(**options)))
            page.evaluate(NUMBER_SCRIPT, numbers)
            page.pdf(path=str(out), **options)
            browser.close()
    finally:
        server.shutdown()
    return out


def build_pdf(out: Path | None = None, root: Path | None = None, language: str | None = None) -> Path:
    """Build the single-page HTML and print it: the one command behind ``python -m infraclusters pdf``.

    The book is the current directory when it holds a ``_config.yml``, else the installed checkout.
    ``language="zh_CN"`` prints the Chinese edition (``_build/pdf/infraclusters-zh_CN.pdf``).
    """
    from ..edition import Edition
    from . import editions

    root = root or editions.book_root()
    language = Edition(language).language
    if Edition(language).is_english:
        return print_pdf(build_singlehtml(root), out or root / "_build" / "pdf" / "infraclusters.pdf")
    site = editions.build(language, root, builder="singlehtml")
    return print_pdf(site, out or root / "_build" / "pdf" / f"infraclusters-{language}.pdf", language)
