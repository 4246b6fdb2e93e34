"""§3: one case chapter for every cluster, and a reader's own cluster with one command."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT, append_row, render_case

from infraclusters import cases, chain
from infraclusters.data import load_table


def test_unknown_cluster_names_the_known_ones():
    with pytest.raises(cases.UnknownClusterError) as caught:
        cases.cluster_row("atlantis")
    message = str(caught.value)
    for cluster in load_table("clusters")["cluster_id"]:
        assert cluster in message


def test_page_source_sets_the_parameter_and_the_cluster_figures():
    text = cases.page_source("dongguan_songshanlake")
    assert re.search(r'^cluster = "dongguan_songshanlake"', text, re.M)
    assert "{infra-figure} fig-case-dongguan-songshanlake-network" in text
    assert "CLUSTER_SLUG" not in text and cases.MARKER not in text
    assert text.splitlines()[text.splitlines().index("---", 1) + 2].startswith("# Dongguan Songshan Lake")


def test_the_page_cites_every_claim_of_its_section():
    claims = load_table("claims")
    text = cases.page_source("hefei_binhu")
    section = claims[claims["section"] == "3.1"]["claim_id"]
    assert all(f"{{claim}}`{claim}`" in text for claim in section)


def test_write_pages_writes_one_page_per_cluster_and_drops_stale_ones(tmp_path):
    (tmp_path / "chapters" / "cases").mkdir(parents=True)
    (tmp_path / "chapters" / "case_template.md").write_text(
        (ROOT / cases.TEMPLATE).read_text(encoding="utf-8"), encoding="utf-8"
    )
    stale = tmp_path / "chapters" / "cases" / "09_gone.md"
    stale.write_text("old", encoding="utf-8")
    written = cases.write_pages(root=tmp_path)
    assert [p.stem for p in written] == [
        cases.page_name(i, c) for i, c in enumerate(load_table("clusters")["cluster_id"], start=1)
    ]
    assert not stale.exists()
    before = {p: p.stat().st_mtime_ns for p in written}
    cases.write_pages(root=tmp_path)
    assert {p: p.stat().st_mtime_ns for p in written} == before, "unchanged pages are not rewritten"


def test_network_metrics_of_a_cluster():
    metrics = cases.network_metrics("hefei_binhu")
    facilities = cases.facilities("hefei_binhu")
    assert metrics["n_facilities"] == len(facilities)
    assert 0 < metrics["stage_coverage"] <= 1
    middle = set(chain.chain_stages()["stage_id"][1:3])
    links = chain.facility_stage_links(cluster="hefei_binhu")
    expected = sorted(f for f, s in links.groupby("facility_id")["stage_id"].apply(set).items() if middle <= s)
    assert metrics["middle_bridges"] == expected


@pytest.fixture
def own_cluster(data_copy):
    """A fixture cluster in a data directory outside the book's data/."""

    append_row(
        data_copy,
        "clusters",
        [
            "fixture_city",
            "试验科学城",
            "Fixture Science City",
            "未来测试产业",
            "Future testing industry",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "fixture_page",
        ],
    )
    append_row(
        data_copy,
        "facilities",
        [
            "fixture_lab",
            "fixture_city",
            "试验实验室",
            "Fixture Laboratory",
            "high_level_laboratory",
            "operating",
            "2020",
            "establishment",
            "no",
            "",
            "fixture_page",
        ],
    )
    append_row(
        data_copy,
        "facilities",
        [
            "fixture_pilot",
            "fixture_city",
            "试验中试基地",
            "Fixture Pilot Base",
            "pilot_base",
            "planned",
            "",
            "",
            "no",
            "",
            "fixture_page",
        ],
    )
    append_row(
        data_copy,
        "organisations",
        ["fixture_uni", "fixture_city", "试验大学", "Fixture University", "university", "no", "", "fixture_page"],
    )
    append_row(data_copy, "relations", ["r901", "fixture_uni", "fixture_lab", "hosts", "", "fixture_page"])
    (data_copy / "references.bib").write_text(
        "@misc{fixture_page,\n  title = {A fixture page},\n  url = {http://127.0.0.1/fixture}\n}\n", encoding="utf-8"
    )
    return data_copy


def test_own_cluster_renders_with_one_command(own_cluster, tmp_path):
    out = tmp_path / "out"
    result = render_case("fixture_city", own_cluster, out)
    assert result.returncode == 0, result.stderr[-3000:]
    for name in ("chain-map", "network", "timeline"):
        for ext in ("png", "svg", "vl.json", "csv"):
            assert (out / "figures" / f"fig-case-fixture-city-{name}.{ext}").stat().st_size > 0
    page = (out / "html" / "fixture_city.html").read_text(encoding="utf-8")
    assert "Fixture Science City" in page and page.count('id="altair-viz-') == 3
    assert "Fixture Laboratory" in (out / "figures" / "fig-case-fixture-city-chain-map.csv").read_text(encoding="utf-8")
    assert "The paper makes no claims about this cluster" in page


def test_unknown_cluster_fails_at_once_listing_the_known(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "infraclusters", "case", "atlantis", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "unknown cluster 'atlantis'" in result.stderr and "hefei_binhu" in result.stderr


def test_own_cluster_renders_in_chinese(own_cluster, tmp_path):
    """``--language zh_CN``: the template's prose from the book's translations, header and figures in Chinese."""
    out = tmp_path / "out"
    result = render_case("fixture_city", own_cluster, out, "--language", "zh_CN")
    assert result.returncode == 0, result.stderr[-3000:]
    page = (out / "html" / "fixture_city.html").read_text(encoding="utf-8")
    assert "全链条上的创新基础设施" in page and "Its infrastructure on the full chain" not in page
    assert "论文未论及该集群" in page and "The paper makes no claims" not in page
    assert page.count('id="altair-viz-') == 3
    svg = (out / "figures" / "fig-case-fixture-city-chain-map.svg").read_text(encoding="utf-8")
    assert "试验科学城" in svg and "Chain stage" not in svg
