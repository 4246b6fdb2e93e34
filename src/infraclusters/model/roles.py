"""Roles on the chain: the stages each facility or organisation serves, from evidence.

The paper's typology (§1.3) says which stages a *type* of infrastructure
serves; it stays the typology of the concepts chapter. A case cluster is
measured on ``data/roles.csv`` instead: one row per (entity, stage) that the
paper or a public page places the entity at, with the source's words and a
coding (``paper``, ``public`` or ``inferred``). An entity with no row has no
documented role: it is context, and carries none of the measures below. So a
cluster can show a gap, and one large facility no longer "covers" the chain.

The measures, per cluster:

- *coverage*: the share of the chain's stages at which some entity has a role;
- *gaps*: the stages at which none has;
- *profile*: how many entities have a role at each stage, and whether the
  middle stages are served by fewer than both ends (两头重、中间轻, §2.2);
- *bridges*: entities with a role both in the middle of the chain and at its
  last stage, that is, documented as carrying research into industry (the
  铁索桥 of §2.2).

A gap or a light middle here means "no evidence in this book", never "nothing
there": the measures read the evidence the data hold, and the pages say so.
"""

from __future__ import annotations

import pandas as pd

from . import chain

COLUMNS = ["role_id", "entity_id", "stage_id", "coding", "step", "quote", "note_en", "source"]
CODINGS = ("paper", "public", "inferred")


def entity_roles(c) -> pd.DataFrame:
    """Every role with its entity's kind, cluster and names, and its stage's order and names.

    A data directory written before ``roles.csv`` existed has no roles: every
    entity is then context, and the cluster has no coverage.
    """
    if "roles" not in c.table_names:
        roles = pd.DataFrame(columns=COLUMNS)
    else:
        roles = c.table("roles")[COLUMNS]
    entities = pd.concat(
        [
            c.table("facilities")[["facility_id", "cluster_id", "name_zh", "name_en"]]
            .rename(columns={"facility_id": "entity_id"})
            .assign(kind="facility"),
            c.table("organisations")[["org_id", "cluster_id", "name_zh", "name_en"]]
            .rename(columns={"org_id": "entity_id"})
            .assign(kind="organisation"),
        ],
        ignore_index=True,
    )
    stages = c.stages[["stage_id", "stage_order", "name_zh", "name_en"]].rename(
        columns={"name_zh": "stage_zh", "name_en": "stage_en"}
    )
    frame = roles.merge(entities, on="entity_id", how="inner").merge(stages, on="stage_id", how="inner")
    return frame.sort_values(["cluster_id", "stage_order", "entity_id"], ignore_index=True)


def stage_ids(stages: pd.DataFrame) -> list[str]:
    return list(stages.sort_values("stage_order")["stage_id"])


def coverage(roles: pd.DataFrame, stages: pd.DataFrame) -> float:
    """Share of the chain's stages at which at least one entity has a documented role (0 to 1)."""
    return chain.stage_coverage(roles, stages)


def gaps(roles: pd.DataFrame, stages: pd.DataFrame) -> list[str]:
    """The stages, in chain order, at which no entity has a documented role."""
    served = set(roles["stage_id"])
    return [s for s in stage_ids(stages) if s not in served]


def profile(roles: pd.DataFrame, stages: pd.DataFrame, by: str = "cluster_id", groups=None) -> pd.DataFrame:
    """Entities with a role at each stage, per group (see :func:`.chain.stage_profile`); a cluster with no roles shows zeros."""
    return chain.stage_profile(roles, stages, by=by, groups=groups)


def middle_light(table: pd.DataFrame, by: str = "cluster_id") -> pd.DataFrame:
    """Per group: entities at the busier end, at the thinner middle stage, and whether the middle is light.

    The middle is light (两头重、中间轻) when its thinner stage has fewer
    entities than *both* end stages.
    """
    ids = list(table.sort_values("stage_order")["stage_id"].unique())
    ends, middle = [ids[0], ids[-1]], ids[1:-1]
    rows = []
    for group, part in table.groupby(by, sort=False):
        counts = part.set_index("stage_id")["count"]
        ends_min, middle_min = int(counts[ends].min()), int(counts[middle].min())
        rows.append({by: group, "ends_min": ends_min, "middle_min": middle_min, "middle_light": middle_min < ends_min})
    return pd.DataFrame(rows)


def bridges(roles: pd.DataFrame, stages: pd.DataFrame) -> list[str]:
    """Entities with a documented role in a middle stage and at the chain's last stage, sorted."""
    ids = stage_ids(stages)
    middle, last = set(ids[1:-1]), ids[-1]
    served = roles.groupby("entity_id")["stage_id"].apply(set)
    return sorted(e for e, s in served.items() if s & middle and last in s)


def context(cluster) -> list[str]:
    """The cluster's facilities and organisations with no documented role: shown, but carrying no measure."""
    placed = set(cluster.roles["entity_id"])
    nodes = list(cluster.facilities["facility_id"]) + list(cluster.organisations["org_id"])
    return [n for n in nodes if n not in placed]


def cluster_summary(c) -> pd.DataFrame:
    """Every cluster's measures from its roles, side by side (names in ``name_zh``/``name_en``)."""
    rows = []
    names = c.roles.drop_duplicates("entity_id").set_index("entity_id")[["name_zh", "name_en"]]
    for row in c.clusters.itertuples():
        metrics = c.cluster(row.cluster_id).metrics
        rows.append(
            {
                "cluster_id": row.cluster_id,
                "name_zh": row.name_zh,
                "name_en": row.name_en,
                "coverage": metrics["stage_coverage"],
                "gaps": metrics["missing_stages"],
                "middle_light": metrics["middle_light"],
                "bridges": metrics["bridges"],
                "bridges_zh": [names.loc[e, "name_zh"] for e in metrics["bridges"]],
                "bridges_en": [names.loc[e, "name_en"] for e in metrics["bridges"]],
                "n_placed": metrics["n_placed"],
                "n_placed_by_paper": metrics["n_placed_by_paper"],
                "n_context": len(metrics["context"]),
            }
        )
    return pd.DataFrame(rows)
