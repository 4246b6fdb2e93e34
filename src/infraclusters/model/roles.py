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
- *profile*: how many entities have a role at each stage, and the verdict on
  两头重、中间轻 (§2.2): ``light`` when the thinner middle stage has fewer
  entities than both ends, ``not light`` when not, ``gap`` when a stage has
  none (a broken chain, about which "lighter" says nothing);
- *bridges*: entities documented at two neighbouring stages from applied
  research onwards, so carrying work across the valley towards industry (the
  铁索桥 of §2.2). A bridge need not reach the last stage: the paper's first
  bridge, the proof-of-concept centre, works between applied research and
  industrial technology research.

Each role carries a *footing*: ``paper``, ``public`` or ``inferred`` as coded,
except that a ``paper`` row about an entity where one of the paper's authors
works is ``self_reported`` (the authors describing their own institution).
:mod:`.verdicts` recomputes every measure without each footing.

A gap or a light middle here means "no evidence in this book", never "nothing
there": the measures read the evidence the data hold, and the pages say so.
"""

from __future__ import annotations

import pandas as pd

from . import chain

COLUMNS = ["role_id", "entity_id", "stage_id", "coding", "step", "quote", "note_en", "note_zh", "source"]
CODINGS = ("paper", "public", "inferred")
#: What a role rests on: the coding, with the authors' words about their own institution set apart.
FOOTINGS = ("paper", "public", "inferred", "self_reported")
#: The verdicts on 两头重、中间轻.
MIDDLE_VERDICTS = ("light", "not light", "gap")


def authors_entities(c) -> set[str]:
    """Facilities and organisations where one of the paper's authors works (``paper_authors``)."""
    if "paper_authors" not in c.table_names:
        return set()
    return set(c.table("paper_authors")["entity_id"])


def footing(roles: pd.DataFrame, own: set[str]) -> pd.Series:
    """Each role's footing: its coding, or ``self_reported`` for a paper row about an entity in ``own``."""
    self_reported = (roles["coding"] == "paper") & roles["entity_id"].isin(own)
    return roles["coding"].where(~self_reported, "self_reported")


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
    frame["footing"] = footing(frame, authors_entities(c))
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


def middle_verdict(ends_min: int, middle_min: int, any_empty: bool) -> str:
    """``gap`` if a stage has no entity, else ``light`` if the thinner middle stage has fewer than both ends."""
    if any_empty:
        return "gap"
    return "light" if middle_min < ends_min else "not light"


def middle_light(table: pd.DataFrame, by: str = "cluster_id") -> pd.DataFrame:
    """Per group: entities at the thinner end and at the thinner middle stage, and the verdict on the middle.

    ``middle`` is one of :data:`MIDDLE_VERDICTS`; ``middle_light`` is True only
    for ``light``. A chain with an empty stage is a ``gap``, never "light":
    the case pages and the mechanisms chapter read it the same way.
    """
    ids = list(table.sort_values("stage_order")["stage_id"].unique())
    ends, middle = [ids[0], ids[-1]], ids[1:-1]
    rows = []
    for group, part in table.groupby(by, sort=False):
        counts = part.set_index("stage_id")["count"]
        ends_min, middle_min = int(counts[ends].min()), int(counts[middle].min())
        verdict = middle_verdict(ends_min, middle_min, bool((counts == 0).any()))
        rows.append(
            {
                by: group,
                "ends_min": ends_min,
                "middle_min": middle_min,
                "middle": verdict,
                "middle_light": verdict == "light",
            }
        )
    return pd.DataFrame(rows)


def bridge_boundaries(stages: pd.DataFrame) -> list[tuple[str, str]]:
    """The neighbouring stages a bridge can join: every pair from applied research onwards.

    On the §1.2 chain: 应用基础研究–产业技术研究 (where the paper puts the
    proof-of-concept centre) and 产业技术研究–产业转化 (the pilot base).
    The first pair, two kinds of basic research, is not a crossing of the valley.
    """
    ids = stage_ids(stages)
    return list(zip(ids[1:-1], ids[2:], strict=True))


def bridges(roles: pd.DataFrame, stages: pd.DataFrame) -> list[str]:
    """Entities documented at both stages of a :func:`bridge_boundaries` pair, sorted."""
    pairs = bridge_boundaries(stages)
    served = roles.groupby("entity_id")["stage_id"].apply(set)
    return sorted(e for e, s in served.items() if any(a in s and b in s for a, b in pairs))


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
