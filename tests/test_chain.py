"""The innovation-chain model: stage order, links, profiles and coverage."""

from __future__ import annotations

import csv

import pandas as pd
from conftest import DATA

from infraclusters.model import chain


def csv_rows(name):
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


STAGES = pd.DataFrame(
    {
        "stage_id": ["a", "b", "c", "d"],
        "stage_order": [1, 2, 3, 4],
        "name_zh": ["甲", "乙", "丙", "丁"],
        "name_en": ["A", "B", "C", "D"],
    }
)


def test_stages_come_in_chain_order(c):
    expected = [r["stage_id"] for r in sorted(csv_rows("chain_stages"), key=lambda r: int(r["stage_order"]))]
    assert list(c.stages["stage_id"]) == expected


def test_every_type_stage_link_is_joined_with_names(c):
    links = chain.type_stage_links(c)
    assert links.equals(c.type_links)
    assert len(links) == len(csv_rows("type_stages"))
    assert links[["type_zh", "category_zh", "stage_zh"]].notna().all().all()
    first = links.iloc[0]
    assert (
        first["category_order"] == 1 and first["stage_order"] == links[links.type_id == first.type_id].stage_order.min()
    )


def test_stage_profile_counts_distinct_things_and_keeps_empty_stages():
    links = pd.DataFrame(
        {
            "facility_id": ["f1", "f1", "f2", "f3", "f3"],
            "stage_id": ["a", "b", "b", "b", "d"],
            "cluster_id": ["x", "x", "x", "y", "y"],
        }
    )
    profile = chain.stage_profile(links, STAGES)
    assert dict(zip(profile.stage_id, profile["count"])) == {"a": 1, "b": 3, "c": 0, "d": 1}
    by_cluster = chain.stage_profile(links, STAGES, by="cluster_id")
    assert len(by_cluster) == 8
    counts = {(r.cluster_id, r.stage_id): r.count for r in by_cluster.itertuples()}
    assert counts[("x", "b")] == 2 and counts[("y", "c")] == 0 and counts[("y", "d")] == 1


def test_stage_coverage_is_the_share_of_stages_served():
    links = pd.DataFrame({"type_id": ["t1", "t2"], "stage_id": ["a", "c"]})
    assert chain.stage_coverage(links, STAGES) == 0.5


def test_typology_numbers_match_the_tables(c):
    numbers = chain.typology_numbers(c)
    links = csv_rows("type_stages")
    assert numbers["n_stages"] == len(csv_rows("chain_stages"))
    assert numbers["n_categories"] == len(csv_rows("facility_categories"))
    assert numbers["n_links_stated"] == sum(r["coding"] == "stated" for r in links)
    assert numbers["n_links_stated"] + numbers["n_links_inferred"] == numbers["n_links"] == len(links)
    stages_per_type = {}
    for r in links:
        stages_per_type.setdefault(r["type_id"], set()).add(r["stage_id"])
    assert numbers["n_full_chain_types"] == sum(len(s) == numbers["n_stages"] for s in stages_per_type.values())


def test_category_stage_counts_is_a_full_matrix(c):
    table = chain.category_stage_counts(c.type_links, c.stages)
    assert table.shape == (3, 4)
    assert table.loc["support"].min() >= 1
