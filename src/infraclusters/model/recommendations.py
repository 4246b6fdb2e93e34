"""§4: the five recommendations, what they answer, and what the case data say about them."""

from __future__ import annotations

import pandas as pd

from . import clusters


def matrix(c) -> pd.DataFrame:
    """Every (recommendation, target) pair: problems of the introduction and mechanisms of §2.

    ``linked`` marks the pairs our coding of §4 links, with the sentence (claim) it rests on.
    Pairs without a link are kept, so the figure shows the empty cells too.
    """
    recs = c.table("recommendations")
    problems = c.table("problems").assign(kind="problem", target_order=lambda t: t["problem_order"])
    mechanisms = c.table("mechanism_nodes").query("kind == 'mechanism'")
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
    claims = c.table("claims")[["claim_id", "quote_zh"]]
    links = c.table("recommendation_links").merge(claims, on="claim_id")
    pairs = recs[["rec_id", "rec_order", "short_zh", "short_en"]].merge(targets, how="cross")
    table = pairs.merge(
        links[["rec_id", "target_id", "claim_id", "coding", "rationale_en", "quote_zh"]],
        on=["rec_id", "target_id"],
        how="left",
    )
    table["linked"] = table["claim_id"].notna()
    return table.sort_values(["rec_order", "target_order"], ignore_index=True)


def measures(c) -> pd.DataFrame:
    """What each recommendation proposes, with the paper's sentence."""
    claims = c.table("claims")[["claim_id", "quote_zh", "text_en"]]
    recs = c.table("recommendations")[["rec_id", "rec_order", "short_zh", "short_en"]]
    return (
        c.table("recommendation_measures")
        .merge(claims, on="claim_id")
        .merge(recs, on="rec_id")
        .sort_values(["rec_order", "measure_id"], ignore_index=True)
    )


#: Relations with a firm that count as the cooperation recommendation 4 would deepen.
COOPERATION = ("develops_with", "licenses_from", "uses_facility")


def builder_kinds(cluster) -> list[str]:
    """The kinds of organisation (``org_kind``) with a ``builds`` relation to a facility of the cluster, sorted."""
    relations = cluster.compendium.table("relations")
    organisations = cluster.compendium.table("organisations").set_index("org_id")["org_kind"]
    facilities = set(cluster.facilities["facility_id"])
    builders = relations.loc[(relations["relation"] == "builds") & relations["to_id"].isin(facilities), "from_id"]
    return sorted({organisations[b] for b in builders if b in organisations.index})


def evidence(c) -> pd.DataFrame:
    """Per case cluster, the indicators the case data give for each recommendation, computed not asserted.

    - rec1 (whole chain): share of chain stages at which an entity has a documented role, the stages
      with none, and the entities documented both in the middle and at the last stage (bridges);
    - rec2 (funding): the kinds of organisation documented as building the cluster's facilities
      (government, university, research institute, firm…), the nearest the inventory comes to the
      funding *mix* the recommendation is about; it records no money;
    - rec3 (management): new-type R&D institutions, the paper's example of new operating mechanisms;
    - rec4 (firms): documented cooperation with a firm (:data:`COOPERATION`: joint development,
      a licence or technology transfer, use of a facility); co-location (``hosts``), shareholding
      (``controls``) and spin-offs are not cooperation and are not counted. ``None`` when the
      cluster's inventory names no firm at all, so that a missing inventory does not read as no cooperation;
    - rec5 (digital): public technology service platforms, the nearest the inventory comes to shared data.
    """
    rows = []
    for row in c.clusters.itertuples():
        cluster = c.cluster(row.cluster_id)
        firms = clusters.firms(cluster)
        facilities = cluster.facilities
        metrics = cluster.metrics
        relations = cluster.relations
        rows.append(
            {
                "cluster_id": row.cluster_id,
                "name_zh": row.name_zh,
                "name_en": row.name_en,
                "rec1_stage_coverage": metrics["stage_coverage"],
                "rec1_missing_stages": metrics["missing_stages"],
                "rec1_bridges": len(metrics["bridges"]),
                "rec2_builder_kinds": builder_kinds(cluster),
                "rec3_new_rd_institutions": int((facilities["type_id"] == "new_rd_institution").sum()),
                "rec4_firm_cooperation": (
                    int(
                        (
                            (relations["from_id"].isin(firms) | relations["to_id"].isin(firms))
                            & relations["relation"].isin(COOPERATION)
                        ).sum()
                    )
                    if firms
                    else None
                ),
                "rec5_service_platforms": int((facilities["type_id"] == "public_tech_service_platform").sum()),
            }
        )
    return pd.DataFrame(rows)
