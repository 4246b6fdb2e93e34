"""Case clusters (§3): what the data say about each cluster, and all of them side by side.

A cluster's own tables live on its view, ``c.cluster(id)`` (see
:class:`~infraclusters.model.compendium.Cluster`); this module computes the
measures that the case pages and the comparison quote, with no language in
them: names stay in their ``_zh`` and ``_en`` columns for the edition to pick.
"""

from __future__ import annotations

import pandas as pd

from . import chain, graphs


def network_metrics(cluster) -> dict:
    """Chain coverage of the cluster and the nodes that hold its network together.

    - ``stage_coverage``: share of the chain's stages served by at least one facility;
    - ``missing_stages``: ids of the stages no facility serves, in chain order;
    - ``middle_bridges``: facilities serving both middle stages (applied basic and
      industrial technology research);
    - ``brokers``: the nodes with the highest betweenness centrality (undirected).
    """
    stages = cluster.compendium.stages
    links = cluster.stage_links
    middle = list(stages.sort_values("stage_order")["stage_id"])[1:-1]
    served = links.groupby("facility_id")["stage_id"].apply(set)
    graph = cluster.graph
    return {
        "n_facilities": int(sum(d["kind"] == "facility" for _, d in graph.nodes(data=True))),
        "n_organisations": int(sum(d["kind"] == "organisation" for _, d in graph.nodes(data=True))),
        "n_relations": graph.number_of_edges(),
        "stage_coverage": chain.stage_coverage(links, stages) if len(links) else 0.0,
        "missing_stages": [s for s in stages["stage_id"] if s not in set(links["stage_id"])],
        "middle_bridges": sorted(f for f, s in served.items() if set(middle) <= s),
        "brokers": graphs.brokers(graph),
    }


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
