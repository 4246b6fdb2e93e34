"""Case clusters (§3): what the data say about each cluster, and all of them side by side.

A cluster's own tables live on its view, ``c.cluster(id)`` (see
:class:`~infraclusters.model.compendium.Cluster`); this module computes the
measures that the case pages and the comparison quote, with no language in
them: names stay in their ``_zh`` and ``_en`` columns for the edition to pick.
"""

from __future__ import annotations

import pandas as pd

from . import graphs, roles, verdicts


def network_metrics(cluster) -> dict:
    """What the case page measures, from the cluster's documented roles and its network.

    - ``stage_coverage``: share of the chain's stages at which some entity has a documented role;
    - ``missing_stages``: ids of the stages at which none has, in chain order;
    - ``bridges``: entities with roles at two neighbouring stages from applied research on (:func:`.roles.bridges`);
    - ``n_placed``, ``n_placed_by_paper``: entities with a role, and with one the paper gives;
    - ``context``: facilities and organisations with no documented role;
    - ``middle``: ``light``, ``not light`` or ``gap`` (两头重、中间轻, :func:`.roles.middle_light`);
      ``middle_light`` is True only for ``light``;
    - ``connectedness``: the network's parts and the facilities a documented chain of relations joins to
      a firm (:func:`.graphs.connectedness`);
    - ``brokers``: the nodes with the highest betweenness centrality (undirected).

    The §1.3 type of a facility plays no part: a cluster of one large facility
    with no documented role covers nothing.
    """
    placed = cluster.roles
    graph = cluster.graph
    found = verdicts.cluster_verdicts(placed, cluster.compendium.stages, cluster.id)  # the one place verdicts are made
    return {
        "n_facilities": int(sum(d["kind"] == "facility" for _, d in graph.nodes(data=True))),
        "n_organisations": int(sum(d["kind"] == "organisation" for _, d in graph.nodes(data=True))),
        "n_relations": len(cluster.relations),  # two relations between one pair are two, not one line
        "stage_coverage": found["coverage"],
        "missing_stages": found["gaps"],
        "bridges": found["bridges"],
        "n_placed": int(placed["entity_id"].nunique()),
        "n_placed_by_paper": int(placed.loc[placed["coding"] == "paper", "entity_id"].nunique()),
        "context": roles.context(cluster),
        "middle": found["middle"],
        "middle_light": found["middle"] == "light",
        "brokers": graphs.brokers(graph),
        "connectedness": graphs.connectedness(graph, firms(cluster), big_facilities(cluster)),
    }


def firms(cluster) -> set[str]:
    """The cluster's organisations of kind ``firm``."""
    organisations = cluster.organisations
    return set(organisations.loc[organisations["org_kind"] == "firm", "org_id"])


def big_facilities(cluster) -> set[str]:
    """The cluster's national major S&T infrastructure facilities (重大科技基础设施)."""
    facilities = cluster.facilities
    return set(facilities.loc[facilities["type_id"] == "major_st_infrastructure", "facility_id"])


def node_names(cluster) -> dict[str, tuple[str, str]]:
    """Node id → (Chinese name, English name) of every node of the cluster's network."""
    return {n: (d["name_zh"], d["name_en"]) for n, d in cluster.graph.nodes(data=True)}


def comparison(c) -> pd.DataFrame:
    """Every cluster side by side: facilities per category and the share of chain stages covered."""
    rows = []
    categories = c.table("facility_categories")
    for row in c.clusters.itertuples():
        cluster = c.cluster(row.cluster_id)
        table = cluster.facilities
        coverage = cluster.metrics["stage_coverage"]
        for category in categories.itertuples():
            rows.append(
                {
                    "cluster_id": row.cluster_id,
                    "name_zh": row.name_zh,
                    "name_en": row.name_en,
                    "category_id": category.category_id,
                    "category_order": int(category.category_order),
                    "facilities": int((table["category_id"] == category.category_id).sum()),
                    "stage_coverage": coverage,
                }
            )
    return pd.DataFrame(rows)


def all_timelines(c) -> pd.DataFrame:
    """Dated facilities of every cluster (the cluster's names as ``cluster_zh``, ``cluster_en``)."""
    names = c.clusters.set_index("cluster_id")
    frames = [c.cluster(cluster_id).timeline for cluster_id in names.index]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return table.assign(
        cluster_zh=table["cluster_id"].map(names["name_zh"]), cluster_en=table["cluster_id"].map(names["name_en"])
    )


def locations(c) -> pd.DataFrame:
    """Clusters with coordinates from a cited page (the others are named in the text, not placed)."""
    return c.clusters.dropna(subset=["longitude", "latitude"])


def unlocated(c) -> pd.DataFrame:
    """The clusters without coordinates."""
    everyone = c.clusters
    return everyone[everyone["longitude"].isna() | everyone["latitude"].isna()]
