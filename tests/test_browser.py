"""The built site in headless Chromium with the network cut: charts draw, nothing leaves the machine, axe-core finds
no serious or critical violation, a phone's width holds (one sweep, conftest.site_sweep, for all three)."""

from __future__ import annotations

import re
import urllib.request

import pytest
from browser import chromium_path, offline_page, serve
from conftest import need

from infraclusters.book import bundle

pytestmark = pytest.mark.slow  # see the tiers in conftest.py


def pages(site):
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_sources" not in p.parts)


@pytest.fixture(scope="module")
def site(built_site):
    need(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    return built_site


def test_every_page_renders_offline(site_sweep):
    """Every reader page of both editions, offline: every chart drawn, no script error, nothing fetched from
    off the machine (the one sweep of conftest.site_sweep)."""
    pages = site_sweep["pages"]
    assert {"chapters/mechanisms.html", "zh_CN/chapters/mechanisms.html"} <= set(pages)
    failed = {
        path: e["charts"] for path, e in pages.items() if not all(s["drawn"] and not s["error"] for s in e["charts"])
    }
    assert failed == {}
    assert site_sweep["blocked"] == [], f"requests that tried to leave the machine: {site_sweep['blocked']}"
    assert site_sweep["errors"] == [], "a script error on a page (THEBE_JS_URL declared twice, for one, before)"
    assert sum(len(e["charts"]) for e in pages.values()) >= 40  # both editions' charts were drawn


def test_no_serious_or_critical_accessibility_violation(site_sweep):
    """axe-core on every reader page of both editions (the one sweep of conftest.site_sweep)."""
    found = {path: entry["axe"] for path, entry in site_sweep["pages"].items() if entry["axe"]}
    assert len(site_sweep["pages"]) >= 30 and any(p.startswith("zh_CN/") for p in site_sweep["pages"])
    assert site_sweep["blocked"] == []
    assert found == {}, "\n".join(f"{p}: {v}" for p, vs in found.items() for v in vs)


@pytest.mark.site
def test_no_page_carries_live_code_scripts_while_live_code_is_off(site):
    offenders = [path for path in pages(site) if "THEBE_JS_URL" in (site / path).read_text(encoding="utf-8")]
    assert offenders == []


def test_the_page_declares_the_versions_altair_expects(site):
    with serve(site) as base, offline_page() as (page, _):
        page.goto(base + "chapters/concepts.html", wait_until="networkidle")
        declared, embed = page.evaluate("() => [window.VEGA_DEBUG, typeof window.vegaEmbed]")
    assert declared == bundle.expected_versions()
    assert embed == "function"


def test_download_links_resolve(site):
    with serve(site) as base, offline_page() as (page, _):
        page.goto(base + "chapters/concepts.html", wait_until="networkidle")
        links = page.evaluate(
            "() => Array.from(document.querySelectorAll('p.infra-figure-downloads a')).map(a => a.href)"
        )
        assert len(links) >= 18
        for link in links:
            with urllib.request.urlopen(link) as response:
                assert response.status == 200 and int(response.headers["Content-Length"]) > 0, link


def test_hovering_a_mechanism_lights_up_only_its_paths(site):
    """The §2 map is interactive: pointing at a mechanism greys out every link not on its paths."""
    chart = 'div[id^="altair-viz-"] >> nth=0'
    strokes = """() => Array.from(document.querySelector('div[id^="altair-viz-"]')
                    .querySelectorAll('g.mark-line path')).map(p => p.getAttribute('stroke'))"""
    with serve(site) as base, offline_page() as (page, _):
        page.goto(base + "chapters/mechanisms.html", wait_until="networkidle")
        page.wait_for_selector(f"{chart} >> g.mark-symbol path")
        before = page.evaluate(strokes)
        labels = page.evaluate("""() => Array.from(document.querySelector('div[id^="altair-viz-"]')
                    .querySelectorAll('g.mark-symbol path')).map(p => p.getAttribute('aria-label') || '')""")
        target = next(i for i, label in enumerate(labels) if "Mechanism" in label)
        node = page.query_selector_all(f"{chart} >> g.mark-symbol path")[target]
        node.scroll_into_view_if_needed()  # a pointer outside the viewport hovers nothing
        box = node.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(500)
        after = page.evaluate(strokes)
    assert "#dddddd" not in before
    greyed = after.count("#dddddd")
    assert 0 < greyed < len(after), after


def tooltips_of(page, marks) -> list[str]:
    """What the chart's tooltip says while the pointer rests on each of ``marks``, in turn."""
    shown = []
    for mark in marks:
        mark.scroll_into_view_if_needed()  # a pointer outside the viewport hovers nothing
        box = mark.bounding_box()
        page.mouse.move(0, 0)  # leave the chart first, as a reader's pointer would between two links
        page.wait_for_timeout(100)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=4)
        page.wait_for_timeout(250)
        shown.append(page.evaluate("() => document.querySelector('#vg-tooltip-element').innerText"))
    return shown


def test_hovering_a_link_of_the_mechanism_map_shows_its_claim(site):
    """Every link of the §2 map answers a hover at its middle with the claim it rests on and the paper's words."""
    chart = 'div[id^="altair-viz-"] >> nth=0'
    with serve(site) as base, offline_page() as (page, _):
        page.goto(base + "chapters/mechanisms.html", wait_until="networkidle")
        page.wait_for_selector(f"{chart} >> g.mark-symbol path")
        targets = page.query_selector_all(f"{chart} >> g.mark-symbol path")
        labels = [t.get_attribute("aria-label") or "" for t in targets]
        links = [t for t, label in zip(targets, labels, strict=True) if "Claim" in label]
        assert len(links) >= 20, labels
        shown = tooltips_of(page, links[::5])
    assert all(re.search(r"C\d[.\d]*-\d\d", text) and re.search(r"[\u4e00-\u9fff]", text) for text in shown), shown


def test_the_table_of_contents_opens_at_every_width_in_both_editions(site):
    """The visible sidebar buttons open the contents as a drawer at 900 px and less, and fold it away on a
    wide screen (the themes bound them to a hidden copy, so on a phone the contents could not be opened)."""
    from conftest import ZH_SITE

    assert (ZH_SITE / "index.html").is_file()
    with serve(site) as base, offline_page() as (page, _):
        for width in (390, 900, 1366):
            page.set_viewport_size({"width": width, "height": 850})
            for prefix in ("", "zh_CN/"):
                page.goto(base + prefix + "chapters/mechanisms.html", wait_until="networkidle")
                where = f"{prefix or 'en/'} at {width} px"
                page.locator(".primary-toggle:visible").first.click()
                page.wait_for_timeout(300)
                if width < 992:
                    assert page.evaluate("() => document.getElementById('pst-primary-sidebar-modal').open"), where
                    link = page.locator("#pst-primary-sidebar-modal a.reference", has_text="2.").first
                    assert link.is_visible(), where
                    box = link.bounding_box()
                    assert box["x"] >= 0 and box["x"] + box["width"] <= width, where
                    page.keyboard.press("Escape")
                    assert not page.evaluate("() => document.getElementById('pst-primary-sidebar-modal').open")
                    secondary = page.locator(".secondary-toggle:visible").first
                    secondary.click()
                    page.wait_for_timeout(300)
                    assert page.evaluate("() => document.getElementById('pst-secondary-sidebar-modal').open"), where
                else:
                    sidebar = page.locator("#pst-primary-sidebar")
                    assert "pst-sidebar-hidden" in (sidebar.get_attribute("class") or ""), where
                    page.locator(".primary-toggle:visible").first.click()
                    assert "pst-sidebar-hidden" not in (sidebar.get_attribute("class") or ""), where


def test_each_page_offers_one_search_box_at_every_width(site):
    visible = """() => [...document.querySelectorAll('.search-button-field, .search-button, form.bd-search')]
        .filter(b => { const r = b.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length"""
    with serve(site) as base, offline_page() as (page, _):
        for width in (390, 900, 1366):
            page.set_viewport_size({"width": width, "height": 850})
            for prefix in ("", "zh_CN/"):
                page.goto(base + prefix + "chapters/concepts.html", wait_until="networkidle")
                page.evaluate("() => window.scrollTo(0, 0)")
                assert page.evaluate(visible) == 1, f"{prefix or 'en/'} at {width} px"


def test_on_a_phone_charts_keep_their_size_and_no_page_scrolls_sideways(site_sweep):
    """At 390 px a chart is drawn at its own size (its text stays 10 px and more) and scrolls inside its own
    box; no page of either edition is wider than the screen (tables included)."""
    pages = site_sweep["pages"]
    too_wide = [f"{path}: {e['phone_width']} px" for path, e in pages.items() if e["phone_width"] > 390]
    shrunk = [
        f"{path}: a chart {own:.0f} px wide is drawn at {shown:.0f} px"
        for path, e in pages.items()
        for own, shown in e["phone_charts"]
        if abs(own - shown) >= 1
    ]
    assert not too_wide, too_wide
    assert not shrunk, shrunk
    assert sum(len(e["phone_charts"]) for e in pages.values()) >= 40  # both editions' charts were measured


@pytest.mark.site
def test_on_a_laptop_every_chart_fits_the_column_and_on_a_phone_a_wider_one_says_so(site_sweep):
    """At 1366 px no chart box scrolls (legends included); at 390 px every chart wider than the screen shows,
    above itself (seen before the slice), that it scrolls and links its full-size image."""
    pages = site_sweep["pages"]
    laptop = [f"{path}: {b['id']}" for path, e in pages.items() for b in e["laptop_boxes"] if b["scrolls"]]
    assert not laptop, laptop
    phone = [b | {"page": path} for path, e in pages.items() for b in e["phone_boxes"]]
    scrolling = [b for b in phone if b["scrolls"]]
    assert len(scrolling) >= 20, "a phone is narrower than most charts: the check sees them"
    silent = [
        f"{b['page']}: {b['id']}" for b in scrolling if not b["cue"] or not (b["full"] or "").endswith(f"{b['id']}.png")
    ]
    assert not silent, silent
    assert not [f"{b['page']}: {b['id']}" for b in scrolling if not b["above"]], "the cue comes before the chart"
    assert not [b for b in phone if b["cue"] and not b["scrolls"]], "a cue only where the chart scrolls"
    # turned back to a laptop, the charts fit again: no cue or shade is left from the phone's width
    again = [b | {"page": path} for path, e in pages.items() for b in e["laptop_again_boxes"]]
    left = [f"{b['page']}: {b['id']}" for b in again if (b["cue"] or b["shade"]) and not b["scrolls"]]
    assert not left, left
    assert not [b for b in phone if b["shade"] and not b["scrolls"]], "a shade only where the chart scrolls"


def test_tables_fit_their_column_pad_their_cells_and_keep_short_terms_whole(site_sweep):
    """At 1366 and 390 px no table of either edition is wider than its box (one that would be is a list of
    cards, each value under its column's name); every cell is padded; a short term (研究类基础设施, an id) is
    never broken over two lines by a squeezed column, nor running text (a name, a quote) squeezed below five
    characters a line."""
    pages = site_sweep["pages"]
    measured = [
        (path, width, t) for path, e in pages.items() for width in ("laptop", "phone") for t in e[f"{width}_tables"]
    ]
    assert len(measured) >= 200, "the check saw the tables of both editions at both widths"
    assert not [f"{p} ({w}): table {t['index']}" for p, w, t in measured if t["wider"]]
    assert not [f"{p} ({w}): table {t['index']} {t['pad']} px" for p, w, t in measured if (t["pad"] or 4) < 4]
    assert not [f"{p} ({w}): {t['wrapped'][:3]}" for p, w, t in measured if t["wrapped"]]
    assert not [f"{p} ({w}): {t['cramped'][:3]}" for p, w, t in measured if t["cramped"]], "running text squeezed"
    assert any(t["cards"] for p, w, t in measured if w == "phone"), "a phone sees cards where tables are wide"
    assert not any(t["cards"] for p, w, t in measured if w == "laptop" and "cases/" in p)


def test_on_a_phone_a_case_path_figure_fits_the_screen(site_sweep):
    """A path is drawn top to bottom, as narrow as a phone's frame: it never scrolls sideways, in either edition."""
    paths = [
        (path, b)
        for path, e in site_sweep["pages"].items()
        for b in e["phone_boxes"]
        if b["id"].startswith("fig-case-") and b["id"].endswith("-path")
    ]
    assert len(paths) >= 6, paths
    assert not [f"{path}: {b['id']}" for path, b in paths if b["scrolls"]]


def test_on_a_phone_claim_markers_are_24_px_targets_and_the_rerun_box_is_folded(site_sweep):
    """A claim marker stays small in its sentence but a finger's target is 24 × 24 px at least; the re-run box
    is one line until opened, so it does not fill a chapter's first screen."""
    pages = site_sweep["pages"]
    small = [
        f"{path}: {w:.0f}×{h:.0f}"
        for path, e in pages.items()
        for w, h in e["phone_targets"]["claims"]
        if min(w, h) < 24
    ]
    assert not small, small[:10]
    assert sum(len(e["phone_targets"]["claims"]) for e in pages.values()) >= 100, "the check saw the markers"
    reruns = {path: e["phone_targets"]["rerun"] for path, e in pages.items() if e["phone_targets"]["rerun"]}
    assert len(reruns) >= 10, "every executable chapter has one"
    tall = {path: h for path, h in reruns.items() if h > 90}
    assert not tall, tall


def test_claim_ids_are_small_markers_and_long_reference_pages_have_contents_and_a_filter(site):
    from conftest import ZH_SITE

    assert (ZH_SITE / "index.html").is_file()
    with serve(site) as base, offline_page() as (page, _):
        for prefix in ("", "zh_CN/"):
            page.goto(base + prefix + "chapters/recommendations.html", wait_until="networkidle")
            sizes = page.evaluate(
                """() => { const m = document.querySelector('.infra-claim a');
                    const p = m.closest('p'); return [parseFloat(getComputedStyle(m).fontSize),
                    parseFloat(getComputedStyle(p).fontSize), getComputedStyle(m.parentElement).verticalAlign,
                    m.getAttribute('href')] }"""
            )
            assert sizes[0] < 0.8 * sizes[1] and sizes[2] == "super" and "claims.html#claim-" in sizes[3], sizes
            page.goto(base + prefix + "chapters/claims.html", wait_until="networkidle")
            entries = page.locator("nav.infra-page-contents li")
            total = entries.count()
            assert total >= 10, prefix
            page.fill("nav.infra-page-contents input", "死亡谷")
            kept = page.locator("nav.infra-page-contents li:not([hidden])").count()
            assert 0 < kept < total, (kept, total)
            assert page.locator("h2.rubric:not([hidden])").count() == kept
            page.fill("nav.infra-page-contents input", "")
            assert page.locator("nav.infra-page-contents li:not([hidden])").count() == total


def test_hovering_a_relation_of_a_cluster_network_names_it_and_its_two_ends(site):
    """A cluster network's relations answer a hover at their middle: the kind of relation and who to whom."""
    with serve(site) as base, offline_page() as (page, _):
        page.goto(base + "chapters/cases/01_hefei_binhu.html", wait_until="networkidle")
        figure = page.query_selector("#fig-case-hefei-binhu-network")
        chart = figure.query_selector('div[id^="altair-viz-"]')
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        targets = [
            t for t in chart.query_selector_all("g.mark-symbol path") if "→" in (t.get_attribute("aria-label") or "")
        ]
        assert len(targets) >= 10
        shown = tooltips_of(page, targets[::4])
    assert all(
        "→" in text and re.search(r"hosts|builds|operates|serves|part of|spun off from|controls", text)
        for text in shown
    ), shown


def test_the_sweep_sees_a_page_wider_than_a_phone_and_a_chart_that_does_not_draw(tmp_path):
    """The one sweep measures what the three tests assert: a page 600 px wide at a phone's width, a chart
    whose Vega never draws (the page's own width is fine)."""
    from browser import chromium_path, sweep

    need(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    head = '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head><body>'
    (tmp_path / "wide.html").write_text(head + '<div style="width:600px">wide</div></body></html>', encoding="utf-8")
    (tmp_path / "chart.html").write_text(
        head + '<div id="altair-viz-x"><p class="error">no</p></div>', encoding="utf-8"
    )
    (tmp_path / "table.html").write_text(
        head + '<article class="bd-article"><div style="width:200px"><table><thead><tr><th>a</th><th>b</th></tr>'
        '</thead><tbody><tr><td style="width:20px;padding:1px">研究类基础设施</td><td><div style="width:400px">x</div>'
        "</td></tr></tbody></table></div></article></body></html>",
        encoding="utf-8",
    )
    found = sweep(tmp_path, None)["pages"]
    assert found["wide.html"]["phone_width"] > 390 and found["chart.html"]["phone_width"] <= 390
    assert [s["error"] for s in found["chart.html"]["charts"]] == ["no"]
    (table,) = found["table.html"]["phone_tables"]
    assert table["wider"] and table["pad"] < 4 and table["wrapped"] == ["研究类基础设施"]
