"""§4: the five recommendations, what they answer, and what the case data say about them."""

from __future__ import annotations

import pandas as pd

from . import cases, chain, i18n
from .data import load_table


def matrix(data_dir=None) -> pd.DataFrame:
    """Every (recommendation, target) pair: problems of the introduction and mechanisms of §2.

    ``linked`` marks the pairs our coding of §4 links, with the sentence (claim) it rests on.
    Pairs without a link are kept, so the figure shows the empty cells too.
    """
    recs = load_table("recommendations", data_dir)
    problems = load_table("problems", data_dir).assign(kind="problem", target_order=lambda t: t["problem_order"])
    mechanisms = load_table("mechanism_nodes", data_dir).query("kind == 'mechanism'")
    targets = pd.concat(
        [
            problems.rename(columns={"problem_id": "target_id"})[
                ["target_id", "name_zh", "name_en", "kind", "target_order"]
            ],
            mechanisms.rename(columns={"node_id": "target_id"}).assign(
                target_order=lambda t: t["node_order"] + len(problems)
            )[["target_id", "name_zh", "name_en", "kind", "target_order"]],
        ],
        ignore_index=True,
    )
    claims = load_table("claims", data_dir)[["claim_id", "quote_zh"]]
    links = load_table("recommendation_links", data_dir).merge(claims, on="claim_id")
    pairs = recs[["rec_id", "rec_order", "short_zh", "short_en"]].merge(targets, how="cross")
    table = pairs.merge(
        links[["rec_id", "target_id", "claim_id", "coding", "rationale_en", "quote_zh"]],
        on=["rec_id", "target_id"],
        how="left",
    )
    table["linked"] = table["claim_id"].notna()
    return table.sort_values(["rec_order", "target_order"], ignore_index=True)


def measures(data_dir=None) -> pd.DataFrame:
    """What each recommendation proposes, with the paper's sentence."""
    claims = load_table("claims", data_dir)[["claim_id", "quote_zh", "text_en"]]
    recs = load_table("recommendations", data_dir)[["rec_id", "rec_order", "short_zh", "short_en"]]
    return (
        load_table("recommendation_measures", data_dir)
        .merge(claims, on="claim_id")
        .merge(recs, on="rec_id")
        .sort_values(["rec_order", "measure_id"], ignore_index=True)
    )


def evidence(data_dir=None) -> pd.DataFrame:
    """Per case cluster, the indicators the case data give for each recommendation, computed not asserted.

    - rec1 (full chain): share of chain stages covered and the stages no documented facility serves;
    - rec2 (funding): facilities still under construction or planned, the investment in the pipeline;
    - rec3 (management): new-type R&D institutions, the paper's example of new operating mechanisms;
    - rec4 (firms): documented relations with a firm at one end;
    - rec5 (digital): public technology service platforms, the nearest the inventory comes to shared data.
    """
    rows = []
    organisations = load_table("organisations", data_dir)
    firms = set(organisations.loc[organisations["org_kind"] == "firm", "org_id"])
    for cluster in cases.clusters(data_dir).itertuples():
        facilities = cases.facilities(cluster.cluster_id, data_dir)
        metrics = cases.network_metrics(cluster.cluster_id, data_dir)
        numbers = cases.page_numbers(cluster.cluster_id, data_dir)
        relations = cases.relations(cluster.cluster_id, data_dir)
        rows.append(
            {
                "cluster_id": cluster.cluster_id,
                "cluster": i18n.both(cluster.name_zh, cluster.name_en),
                "rec1_stage_coverage": f"{metrics['stage_coverage']:.0%}",
                "rec1_missing_stages": numbers["missing_stages"],
                "rec1_bridges": int(facilities["type_id"].isin(chain.BRIDGE_TYPES).sum()),
                "rec2_pipeline": int(facilities["status"].isin(["under construction", "planned"]).sum()),
                "rec3_new_rd_institutions": int((facilities["type_id"] == "new_rd_institution").sum()),
                "rec4_firm_relations": int((relations["from_id"].isin(firms) | relations["to_id"].isin(firms)).sum()),
                "rec5_service_platforms": int((facilities["type_id"] == "public_tech_service_platform").sum()),
            }
        )
    return pd.DataFrame(rows)
