"""Accessibility in headless Chromium: every chart described. (axe-core over every page: test_browser's sweep.)"""

from __future__ import annotations

import pytest
from browser import chromium_path, offline_page, serve
from conftest import need

pytestmark = pytest.mark.slow  # see the tiers in conftest.py


@pytest.fixture(scope="module")
def site(built_site):
    need(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    return built_site


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
