"""Every verdict with its footing: the measures move on contrary data, and the pages say what flips them.

The argument audit's experiments, as tests: drop the book's inferred roles, drop
the authors' account of their own laboratory, read §3.1's 成果转化 another way,
cut a firm's relation, relabel cooperation as co-location. Each changes a verdict,
and the page that states the verdict says so.
"""

from __future__ import annotations

import csv

import pytest
from conftest import append_row, compendium

from infraclusters.edition import Edition
from infraclusters.model import recommendations, verdicts
from infraclusters.text import verdicts as verdicts_text


def rewrite(data, table: str, change) -> None:
    """Apply ``change(row) -> row | None`` to every data row of a table of a data copy (None drops the row)."""
    path = data / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    kept = [r for r in (change(dict(row)) for row in rows) if r is not None]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)


def test_each_role_has_a_footing_and_the_authors_lab_is_self_reported(c):
    footing = c.roles.set_index("role_id")["footing"]
    assert set(footing) <= {"paper", "public", "inferred", "self_reported"}
    assert footing["slab@industrial_transformation"] == "self_reported", "the authors on their own laboratory"
    assert footing["csns_phase1@frontier_basic_research"] == "paper", "the paper on a facility it does not run"
    counts = verdicts.footing_counts(c).set_index("cluster_id")
    assert (
        counts.loc["dongguan_songshanlake", "self_reported"]
        == ((c.roles["entity_id"] == "slab") & (c.roles["coding"] == "paper")).sum()
    )
    assert (counts[["paper", "public", "inferred", "self_reported"]].sum(axis=1) == counts["total"]).all()


def test_the_whole_chain_rests_on_the_books_readings_and_the_headline_says_so(c):
    """As read, every case covers the chain; on the paper's words about others and public pages, fewer do."""
    counts = verdicts.headline(c)
    assert counts["as_read"]["whole_chain"] == 3
    assert counts["paper_and_public"]["whole_chain"] < counts["as_read"]["whole_chain"]
    text = verdicts_text.headline(c, Edition("en"))
    assert f"({counts['paper_and_public']['whole_chain']} on the evidence alone" in text
    assert f"{counts['as_read']['whole_chain']} of the 3 cover the whole chain as read" in text
    assert f"it shows in {counts['as_read']['light']} of the 3 science cities" in text
    assert f"public pages alone it shows in {counts['paper_and_public']['light']}," in text
    assert "关键环节薄弱" in text


def test_the_headline_moves_when_the_inferred_rows_become_evidence(data_copy):
    """Recode the inferred rows as public: the headline's evidence-alone count rises to the book's own."""
    rewrite(data_copy, "roles", lambda r: {**r, "coding": "public" if r["coding"] == "inferred" else r["coding"]})
    c = compendium(data_copy)
    counts = verdicts.headline(c)
    assert counts["without_inferred"]["whole_chain"] == counts["as_read"]["whole_chain"]


def test_dropping_the_authors_self_report_takes_songshan_lakes_bridge(c):
    sens = verdicts.sensitivity(c).set_index(["cluster_id", "reading"])
    assert sens.loc[("dongguan_songshanlake", "as_read"), "bridges"] == ["slab"]
    assert sens.loc[("dongguan_songshanlake", "without_self_reported"), "bridges"] == []
    assert "bridges" in sens.loc[("dongguan_songshanlake", "without_self_reported"), "changed"]
    assert not verdicts.stands(verdicts.sensitivity(c), "dongguan_songshanlake", "bridges")


def test_reading_translation_as_research_takes_hefeis_bridges(c):
    """§3.1's 成果转化 at 产业技术研究: the platforms then serve only the middle, and Hefei has no bridge."""
    sens = verdicts.sensitivity(c).set_index(["cluster_id", "reading"])
    assert sens.loc[("hefei_binhu", "as_read"), "bridges"] == ["quantum_industry_institute", "ustc_iat"]
    assert sens.loc[("hefei_binhu", "translation_as_research"), "bridges"] == []
    assert sens.loc[("hefei_binhu", "translation_as_research"), "whole_chain"], "the parks still serve the last stage"


def test_big_facilities_on_every_stage_lift_zhangjiangs_middle(c):
    """§1.3's 全过程 rather than §3.3's 上游: Zhangjiang's light middle is no longer light."""
    sens = verdicts.sensitivity(c).set_index(["cluster_id", "reading"])
    assert sens.loc[("shanghai_zhangjiang", "as_read"), "middle"] == "light"
    assert sens.loc[("shanghai_zhangjiang", "big_facilities_whole_process"), "middle"] == "not light"


def test_a_flip_is_said_in_words_on_the_case_page(c):
    ed = Edition("en")
    said = " ".join(verdicts_text.flip_sentences(c, "shanghai_zhangjiang", ed))
    assert "but it flips" in said and "Without the book's inferred rows" in said
    steady = " ".join(verdicts_text.flip_sentences(c, "hefei_binhu", ed))
    assert "The whole chain is covered, and stays so under every reading." in steady
    table = verdicts_text.sensitivity_table(c, ed, cluster_id="shanghai_zhangjiang").data
    assert table.count("\n") == 1 + len(verdicts.READINGS), "one row per reading under the header"
    chinese = verdicts_text.flip_sentences(c, "shanghai_zhangjiang", Edition("zh_CN"))
    assert any("。" in s for s in chinese) and not [s for s in chinese if "。 " in s], "no space after 。"


def test_the_case_page_and_the_mechanisms_chapter_read_one_verdict(data_copy):
    """Hefei without its translation platforms: a gap. Neither page may call it 'lighter'."""
    from infraclusters.model import roles
    from infraclusters.text import case_page

    rewrite(data_copy, "roles", lambda r: None if r["entity_id"] in {"ustc_iat", "quantum_industry_institute"} else r)
    c = compendium(data_copy)
    sens = verdicts.sensitivity(c).set_index(["cluster_id", "reading"])
    assert sens.loc[("hefei_binhu", "as_read"), "middle"] == "gap"
    assert c.cluster("hefei_binhu").metrics["middle"] == "gap"
    assert not roles.cluster_summary(c).set_index("cluster_id").loc["hefei_binhu", "middle_light"]
    assert "cannot say" in case_page.page_numbers(c.cluster("hefei_binhu"), Edition("en"))["middle_reading"]


def test_an_unknown_reading_is_refused(c):
    with pytest.raises(ValueError, match="as_read"):
        verdicts.roles_under(c, "wishful")


def test_connectedness_moves_with_the_relations(data_copy):
    """Zhangjiang's big facilities reach firms through ChemPartner's use of SSRF and a ShanghaiTech licence: cut both and none does."""
    c = compendium(data_copy)
    found = c.cluster("shanghai_zhangjiang").metrics["connectedness"]
    assert "ssrf" in found["big_facilities_reaching_firm"]
    parts = found["n_parts"]
    cut = {("chempartner", "ssrf"), ("correctsequence", "shanghaitech")}
    rewrite(data_copy, "relations", lambda r: None if (r["from_id"], r["to_id"]) in cut else r)
    found = compendium(data_copy).cluster("shanghai_zhangjiang").metrics["connectedness"]
    assert found["big_facilities_reaching_firm"] == []
    assert found["n_parts"] == parts + 2, "each firm cut off is a part of its own"


def test_cooperation_is_not_co_location(data_copy):
    """Relabel every relation with a firm as 'hosts' (co-location): the cooperation indicator falls to zero."""
    c = compendium(data_copy)
    firms = set(c.table("organisations").query("org_kind == 'firm'")["org_id"])
    before = recommendations.evidence(c).set_index("cluster_id")["rec4_firm_cooperation"]
    assert before["shanghai_zhangjiang"] > 0
    rewrite(
        data_copy,
        "relations",
        lambda r: {**r, "relation": "hosts"} if r["from_id"] in firms or r["to_id"] in firms else r,
    )
    after = recommendations.evidence(compendium(data_copy)).set_index("cluster_id")["rec4_firm_cooperation"]
    assert (after.dropna() == 0).all()


def test_the_funding_indicator_reads_who_builds(data_copy):
    """The builders' kinds, not the pipeline: make USTC a firm and Hefei's mix gains 'firm'."""
    c = compendium(data_copy)
    kinds = recommendations.evidence(c).set_index("cluster_id").loc["hefei_binhu", "rec2_builder_kinds"]
    assert "university" in kinds and "firm" not in kinds
    rewrite(data_copy, "organisations", lambda r: {**r, "org_kind": "firm"} if r["org_id"] == "ustc" else r)
    kinds = (
        recommendations.evidence(compendium(data_copy)).set_index("cluster_id").loc["hefei_binhu", "rec2_builder_kinds"]
    )
    assert "firm" in kinds


def test_hefei_has_the_fields_the_paper_names(c, paper):
    fields = c.cluster("hefei_binhu").fields
    assert list(fields["name_zh"]) == ["量子精密测量", "量子通信", "量子计算"]
    sentence = c.claims.set_index("claim_id").loc["C3.1-10", "quote_zh"]
    assert sentence in paper and all(name in sentence for name in fields["name_zh"])
    assert c.cluster("shanghai_zhangjiang").fields.empty


def test_a_city_level_field_must_name_a_known_cluster(data_copy):
    from infraclusters.model import DataValidationError

    append_row(
        data_copy,
        "industrialisation_fields",
        ["nowhere_field", "atlantis", "", "某领域", "A field", "", "paper §3.1"],
    )
    with pytest.raises(DataValidationError, match="atlantis"):
        compendium(data_copy)
