"""axe-core over every page of the built site, in headless Chromium: no serious or critical violation."""

from __future__ import annotations

import pytest
from browser import chromium_path, offline_page, serve
from conftest import ROOT, need

AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def pages(site):
    """Reader-facing pages: not the theme's template fragments under _static."""
    return sorted(
        p.relative_to(site).as_posix() for p in site.rglob("*.html") if not {"_sources", "_static"} & set(p.parts)
    )


@pytest.fixture(scope="module")
def site(built_site):
    need(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    need(AXE.is_file(), "axe-core is not installed (npm ci --prefix tools/axe)")
    return built_site


def test_no_serious_or_critical_accessibility_violation(site):
    found = {}
    with serve(site) as base, offline_page() as (page, blocked):
        for path in pages(site):
            page.goto(base + path, wait_until="networkidle")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                    .filter(v => ['serious', 'critical'].includes(v.impact))
                    .map(v => `${v.id} (${v.impact}): ${v.nodes.length} node(s), e.g. ${v.nodes[0].target.join(' ')}`)"""
            )
            if violations:
                found[path] = violations
        assert blocked == []
    assert found == {}, "\n".join(f"{p}: {v}" for p, vs in found.items() for v in vs)


def test_every_chart_has_a_description(site):
    """Vega sets each chart's aria-label from the spec's description, which is the figure's alt text."""
    with serve(site) as base, offline_page() as (page, _):
        for path in ("chapters/concepts.html", "chapters/mechanisms.html"):
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_selector('div[id^="altair-viz-"] svg.marks')
            labels = page.evaluate("""() => Array.from(document.querySelectorAll('div[id^="altair-viz-"]'))
                .map(d => { const g = d.matches('[role="graphics-document"]') ? d : d.querySelector('[role="graphics-document"]');
                            return g ? g.getAttribute('aria-label') || '' : ''; })""")
            assert labels and all(len(label) > 40 for label in labels), (path, labels)
