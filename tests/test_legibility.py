"""Every exported figure as a reader sees it: no label on another, none cut short with "…", no text under
10 px at 1×, none past the canvas; both editions (see :mod:`svg_layout`).

The figures still at fault are listed with the number of faults each has, as known gaps: the test
fails on a fault anywhere else, and on a listed figure whose faults grow or have been mended (take it
off), so the list only ever shrinks.
"""

from __future__ import annotations

import pytest
from browser import chromium_path, offline_page, serve
from conftest import need
from svg_layout import MIN_TEXT_PX, faults, measure

pytestmark = pytest.mark.slow  # see the tiers in conftest.py

#: Figure (edition prefix and id) → its label faults today (none: the list can only shrink, and a new
#: fault fails the test).
KNOWN: dict[str, int] = {}


def svg(body: str, width: int = 200, height: int = 60) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
        f'<g font-family="Noto Sans CJK SC, sans-serif">{body}</g></svg>'
    )


@pytest.fixture(scope="module")
def browser_page():
    need(chromium_path() is not None, "Chromium is not installed (apt-get install chromium)")
    with offline_page() as (page, _):
        yield page


def test_the_check_finds_each_kind_of_fault(tmp_path, browser_page):
    cases = {
        "clean": svg(
            '<text x="5" y="20" font-size="11">创新基础设施 Research</text>'
            '<text x="5" y="45" font-size="11">Translation 成果转化</text>'
        ),
        "overlap": svg(
            '<text x="5" y="20" font-size="11">量子信息科学国家实验室</text>'
            '<text x="40" y="26" font-size="11">Quantum Avenue</text>'
        ),
        "truncated": svg('<text x="5" y="20" font-size="11">China Spallation Neutron Sour…</text>'),
        "small": svg('<text x="5" y="20" font-size="8">2.3 领跑企业</text>'),
        "outside": svg('<text x="150" y="20" font-size="11">Industries of the future</text>'),
        "hidden": svg('<text x="5" y="20" font-size="6" opacity="0">hidden…</text>'),
        "halo": svg(
            '<text x="5" y="20" font-size="11" fill="white" stroke="white" stroke-width="4">量子大道</text>'
            '<text x="5" y="20" font-size="11">量子大道</text>'
        ),
        "black on white outline": svg(
            '<text x="5" y="20" font-size="11" fill="black" stroke="white" stroke-width="4">量子大道</text>'
            '<text x="5" y="20" font-size="11">量子大道</text>'
        ),
    }
    for name, text in cases.items():
        (tmp_path / f"{name}.svg").write_text(text, encoding="utf-8")
    with serve(tmp_path) as base:
        found = {name: [f.kind for f in faults(name, measure(browser_page, f"{base}{name}.svg"))] for name in cases}
    assert found == {
        "clean": [],
        "overlap": ["overlap"],
        "truncated": ["truncated"],
        "small": ["small"],
        "outside": ["outside"],
        "hidden": [],  # a label Vega hid (opacity 0) is not drawn
        "halo": [],  # a white outline under its label is not a second label
        "black on white outline": ["overlap"],  # a label drawn twice is
    }
    assert MIN_TEXT_PX == 10


def test_no_exported_figure_has_overlapping_cut_small_or_stray_labels(built_site, browser_page):
    from conftest import ZH_SITE

    assert (ZH_SITE / "index.html").is_file()
    counted: dict[str, list] = {}
    with serve(built_site) as base:
        for prefix in ("", "zh_CN/"):
            folder = built_site / prefix / "figures"
            names = sorted(p.name for p in folder.glob("fig-*.svg"))
            assert len(names) >= 24, folder
            for name in names:
                figure = prefix + name.removesuffix(".svg")
                found = faults(figure, measure(browser_page, f"{base}{prefix}figures/{name}"))
                if found:
                    counted[figure] = found
    unexpected = {f: [str(x) for x in v] for f, v in counted.items() if len(v) > KNOWN.get(f, 0)}
    assert not unexpected, unexpected
    mended = {f for f in KNOWN if len(counted.get(f, [])) < KNOWN[f]}
    assert not mended, f"mended: take these off KNOWN: {mended}"
