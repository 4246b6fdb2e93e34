"""Roles on the chain from evidence (data/roles.csv) and the case measures built on them.

Each measure is tried on data where the paper's claim fails: a cluster whose
translation platforms lose their evidence shows a gap and no bridge; a cluster
given a busy middle no longer shows 两头重、中间轻; a large facility without
evidence covers nothing, whatever its §1.3 type says.
"""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
from conftest import ROOT, append_row, compendium

from infraclusters import figures
from infraclusters.edition import Edition
from infraclusters.model import DataValidationError, recommendations, roles
from infraclusters.text import case_page


def drop_roles(data, entities: set[str]) -> None:
    """Remove every role of the given entities from a data copy's roles.csv."""
    path = data / "roles.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    kept = [rows[0]] + [row for row in rows[1:] if row[1] not in entities]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)


def role(entity: str, stage: str, coding: str = "public", source: str = "paper §3.3") -> list[str]:
    return [f"{entity}@{stage}", entity, stage, coding, "", "words of a page", "A test reading.", source]


def test_every_role_the_paper_gives_quotes_the_paper(paper):
    table = pd.read_csv(ROOT / "data" / "roles.csv", dtype=str, keep_default_na=False)
    paper_rows = table[table["coding"] == "paper"]
    assert len(paper_rows) > 10
    missing = [r.role_id for r in paper_rows.itertuples() if r.quote not in paper]
    assert missing == []
    assert all(r.source.startswith("paper §") for r in paper_rows.itertuples())
    public = table[table["coding"] == "public"]
    assert all(not r.source.startswith("paper") for r in public.itertuples()), "a public role cites a page"


def test_a_type_alone_covers_nothing(data_copy):
    """One large facility, no documented role: the §1.3 typology says it serves every stage; the case measure says none."""
    append_row(
        data_copy,
        "clusters",
        ["lone_city", "孤城", "Lone City", "未来产业", "future industries"] + [""] * 7 + ["paper §3"],
    )
    append_row(
        data_copy,
        "facilities",
        ["lone_source", "lone_city", "大装置", "Big Source", "major_st_infrastructure", "operating", "2020"]
        + ["establishment", "no", "", "paper §3"],
    )
    c = compendium(data_copy)
    typology = c.type_links
    assert set(typology.loc[typology["type_id"] == "major_st_infrastructure", "stage_id"]) == set(c.stages["stage_id"])
    metrics = c.cluster("lone_city").metrics
    assert metrics["stage_coverage"] == 0.0
    assert metrics["missing_stages"] == list(c.stages["stage_id"])
    assert metrics["context"] == ["lone_source"] and metrics["bridges"] == []
    chart = figures.build("fig-case-lone-city-chain-map", c, Edition("en"))
    assert len(figures.drawn_data(chart)) == 0


def test_hefei_without_its_translation_platforms_shows_the_gap(data_copy):
    """Take away the evidence for the two platforms of §3.1: a gap at technology development, no bridge, 75%."""
    drop_roles(data_copy, {"ustc_iat", "quantum_industry_institute"})
    c = compendium(data_copy)
    metrics = c.cluster("hefei_binhu").metrics
    assert metrics["missing_stages"] == ["industrial_technology_research"]
    assert metrics["bridges"] == [] and metrics["stage_coverage"] == 0.75
    evidence = recommendations.evidence(c).set_index("cluster_id")
    assert evidence.loc["hefei_binhu", "rec1_stage_coverage"] == 0.75
    assert evidence.loc["hefei_binhu", "rec1_bridges"] == 0
    profile = figures.drawn_data(figures.build("fig-stage-profile", c, Edition("en")))
    hefei = profile[profile["cluster_id"] == "hefei_binhu"].set_index("stage_order")["count"]
    assert hefei[3] == 0 and hefei[1] > 0
    ed = Edition("en")
    assert (
        "cannot say whether the middle is lighter"
        in case_page.page_numbers(c.cluster("hefei_binhu"), ed)["middle_reading"]
    )
    summary = roles.cluster_summary(c).set_index("cluster_id")
    assert not summary.loc["hefei_binhu", "middle_light"], "the mechanisms chapter must not call a gap 'lighter'"
    assert "Industrial technology research" in case_page.page_numbers(c.cluster("hefei_binhu"), ed)["missing_stages"]


def test_a_busy_middle_is_not_light(data_copy):
    """Zhangjiang's middle is light on the book's evidence; document more middle roles and it no longer is."""
    assert compendium(data_copy).cluster("shanghai_zhangjiang").metrics["middle"] == "light"
    for entity in ("sxfel", "sulf"):
        append_row(data_copy, "roles", role(entity, "applied_basic_research"))
    metrics = compendium(data_copy).cluster("shanghai_zhangjiang").metrics
    assert metrics["middle"] == "not light" and not metrics["middle_light"]
    assert "sxfel" not in metrics["bridges"], "a role at one stage is no bridge"


def test_a_bridge_need_not_reach_the_last_stage(data_copy):
    """The paper's first bridge, a proof-of-concept centre, works between applied and industrial technology research."""
    append_row(data_copy, "roles", role("sxfel", "applied_basic_research"))
    append_row(data_copy, "roles", role("sxfel", "industrial_technology_research"))
    assert "sxfel" in compendium(data_copy).cluster("shanghai_zhangjiang").metrics["bridges"]
    drop_roles(data_copy, {"sxfel"})
    append_row(data_copy, "roles", role("sxfel", "frontier_basic_research"))
    append_row(data_copy, "roles", role("sxfel", "applied_basic_research"))
    assert "sxfel" not in compendium(data_copy).cluster("shanghai_zhangjiang").metrics["bridges"], (
        "two kinds of basic research do not cross the valley"
    )


def test_middle_light_reads_a_synthetic_profile(c):
    stages = c.stages
    table = pd.DataFrame(
        {
            "cluster_id": ["x"] * 4 + ["y"] * 4 + ["z"] * 4,
            "stage_id": list(stages["stage_id"]) * 3,
            "stage_order": list(stages["stage_order"]) * 3,
            "count": [5, 1, 2, 4, 3, 3, 3, 3, 2, 1, 9, 1],
        }
    )
    light = roles.middle_light(table).set_index("cluster_id")
    assert list(light["middle_light"]) == [True, False, False]
    assert list(light["middle"]) == ["light", "not light", "not light"]
    assert light.loc["x", "middle_min"] == 1 and light.loc["x", "ends_min"] == 4
    gap = roles.middle_light(table.assign(count=[5, 0, 2, 4] * 3)).set_index("cluster_id")
    assert set(gap["middle"]) == {"gap"} and not gap["middle_light"].any(), "an empty stage is a gap, not light"


def test_a_data_directory_without_roles_still_opens(data_copy):
    """A reader's data written before roles.csv: every entity is context and the chain is uncovered, no error."""
    (data_copy / "roles.csv").unlink()
    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "roles"]
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    c = compendium(data_copy)
    summary = roles.cluster_summary(c)
    assert list(summary["coverage"]) == [0.0] * len(summary)
    assert not c.cluster("hefei_binhu").metrics["middle_light"]


@pytest.mark.parametrize(
    ("row", "says"),
    [
        (
            role("nowhere_lab", "frontier_basic_research"),
            "'nowhere_lab' not found in table(s) facilities, organisations",
        ),
        (role("slab", "manufacturing"), "'manufacturing'"),
        (role("csns_phase2", "frontier_basic_research", coding="guessed"), "'guessed'"),
        (role("csns_phase2", "frontier_basic_research", source="somewhere online"), "somewhere online"),
    ],
    ids=["unknown-entity", "unknown-stage", "unknown-coding", "no-source"],
)
def test_a_bad_role_is_refused_with_its_place(data_copy, row, says):
    append_row(data_copy, "roles", row)
    with pytest.raises(DataValidationError) as caught:
        compendium(data_copy)
    assert "roles.csv" in str(caught.value) and says in str(caught.value)


def test_entities_are_typed_as_the_paper_designates_them(c):
    """§3.1 calls the USTC institute and the quantum institute 量子科技成果转化平台: they are translation infrastructure."""
    quote = c.claims.set_index("claim_id").loc["C3.1-05", "quote_zh"]
    facilities = c.facilities.set_index("facility_id")
    for facility in ("ustc_iat", "quantum_industry_institute"):
        assert facilities.loc[facility, "name_zh"].replace("中国科学技术大学", "中国科大") in quote
        assert facilities.loc[facility, "category_id"] == "translation"
    typology = set(c.type_links["type_id"])
    types = c.table("facility_types")
    assert typology == set(types.loc[types["source"] == "paper §1.3", "type_id"]), "the typology is §1.3's alone"
    assert "translation_platform" not in typology


def test_no_firm_in_the_inventory_is_not_zero_cooperation(data_copy, ed):
    """A cluster whose inventory names no firm gets a blank firm indicator; name one firm and it reads 0, then 1."""
    from infraclusters.text import tables

    append_row(
        data_copy,
        "clusters",
        ["lone_city", "孤城", "Lone City", "未来产业", "future industries"] + [""] * 7 + ["paper §3"],
    )
    lab = ["lone_lab", "lone_city", "实验室", "Lone Lab", "high_level_laboratory", "operating", "2020"]
    append_row(data_copy, "facilities", [*lab, "establishment", "no", "", "paper §3"])
    evidence = recommendations.evidence(compendium(data_copy)).set_index("cluster_id")
    assert pd.isna(evidence.loc["lone_city", "rec4_firm_cooperation"])
    assert evidence.loc["shanghai_zhangjiang", "rec4_firm_cooperation"] > 0
    c = compendium(data_copy)
    assert "the inventory names no firm" in tables.evidence_table(recommendations.evidence(c), c, ed).data
    append_row(
        data_copy, "organisations", ["lone_firm", "lone_city", "企业", "Lone Firm", "firm", "no", "", "paper §3"]
    )

    def cooperation():
        return (
            recommendations.evidence(compendium(data_copy))
            .set_index("cluster_id")
            .loc["lone_city", "rec4_firm_cooperation"]
        )

    assert cooperation() == 0
    append_row(data_copy, "relations", ["r990", "lone_firm", "lone_lab", "spun_off_from", "", "", "paper §3"])
    append_row(data_copy, "relations", ["r991", "lone_lab", "lone_firm", "hosts", "", "", "paper §3"])
    assert cooperation() == 0, "a spin-off and co-location are relations, not cooperation"
    append_row(data_copy, "relations", ["r992", "lone_firm", "lone_lab", "develops_with", "", "", "paper §3"])
    assert cooperation() == 1


def test_the_middle_is_set_against_the_research_end_only_like_for_like(data_copy):
    """§1.3 puts 新型研发机构 at the research end: Hefei 2021 has no middle count, so no pair. Read them as the
    middle (the flagged alternative) and the one page pairs 61 against 25, not light; cut the 61 and it is."""
    from infraclusters.model import bridging

    c = compendium(data_copy)
    assert bridging.comparisons(c).empty, "under the paper's designation no page counts both ends of one place and date"
    table = bridging.comparisons(c, "new_rd_in_middle").set_index("cluster_id")
    assert list(table.index) == ["hefei_binhu"], (
        "no other case has both ends counted by one page for one place and date"
    )
    assert table.loc["hefei_binhu", "middle"] == 61 and table.loc["hefei_binhu", "research"] == 12 + 13
    assert not table.loc["hefei_binhu", "middle_light"]
    path = data_copy / "bridging_counts.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "provincial new-type R&D institutions,new_rd_institution,61,",
            "provincial new-type R&D institutions,new_rd_institution,9,",
        ),
        encoding="utf-8",
    )
    alternative = bridging.comparisons(compendium(data_copy), "new_rd_in_middle").set_index("cluster_id")
    assert alternative.loc["hefei_binhu", "middle_light"]
    # a count of another date from the same page is not paired
    append_row(
        data_copy,
        "bridging_counts",
        [
            "hefei_labs_2024",
            "hefei_binhu",
            "Hefei city",
            "research",
            "labs",
            "",
            "99",
            "2024",
            "words",
            "bc_hefei_platforms_2021",
        ],
    )
    assert len(bridging.comparisons(compendium(data_copy), "new_rd_in_middle")) == 1
    with pytest.raises(ValueError, match="new_rd_in_middle"):
        bridging.comparisons(c, "guess")
