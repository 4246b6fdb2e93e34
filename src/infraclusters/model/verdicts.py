"""Every verdict on the case clusters with its footing, and what would flip it.

The case verdicts (coverage of the chain, its gaps, the middle's weight, the
bridges, and the landing page's count of clusters covering the whole chain)
are computed from ``roles.csv``. Those rows rest on different footings
(:data:`.roles.FOOTINGS`): the paper's words, a public page, the book's own
reading of vaguer words (``inferred``), or the authors' words about their own
laboratory (``self_reported``). A verdict that holds only on the book's
reading is the book's finding, not the evidence's.

So every verdict is computed once per *reading* of the evidence
(:data:`READINGS`):

- ``as_read``: every row, as the book reads it;
- ``without_inferred``: the book's own readings dropped;
- ``without_self_reported``: the authors' account of their own laboratory dropped;
- ``paper_and_public``: both dropped: what the paper's words about others and
  public pages carry alone;
- ``translation_as_research``: an equally literal reading of §3.1: where the
  paper's step is 成果转化 (translation), the role sits at 产业技术研究, not
  at 产业转化;
- ``big_facilities_whole_process``: §1.3 rather than §3.3 for big facilities:
  support infrastructure serves the "全过程", so a 重大科技基础设施 with a
  documented role is placed at every stage.

:func:`sensitivity` gives every verdict under every reading and names the
verdicts that differ from ``as_read``. The case pages, the mechanisms chapter
and the landing page all read it, so they cannot disagree.
"""

from __future__ import annotations

import pandas as pd

from . import roles as roles_model

#: Readings of the evidence, in the order the pages show them.
READINGS = (
    "as_read",
    "without_inferred",
    "without_self_reported",
    "paper_and_public",
    "translation_as_research",
    "big_facilities_whole_process",
)
#: The readings that drop rows (the rest read the paper's words another way).
DROPPING = ("without_inferred", "without_self_reported", "paper_and_public")
#: The verdicts compared between readings.
VERDICTS = ("coverage", "gaps", "middle", "bridges", "whole_chain")


def roles_under(c, reading: str, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The roles (``c.roles``, or ``table``) as one reading has them; added rows have footing ``reading``."""
    table = c.roles if table is None else table
    stages = roles_model.stage_ids(c.stages)
    if reading == "as_read":
        return table
    if reading == "without_inferred":
        return table[table["footing"] != "inferred"]
    if reading == "without_self_reported":
        return table[table["footing"] != "self_reported"]
    if reading == "paper_and_public":
        return table[table["footing"].isin(["paper", "public"])]
    if reading == "translation_as_research":
        moved = table["step"].fillna("").str.contains("成果转化") & (table["stage_id"] == stages[-1])
        shifted = table[moved].assign(stage_id=stages[-2], footing="reading")
        return _restaged(c, pd.concat([table[~moved], shifted], ignore_index=True))
    if reading == "big_facilities_whole_process":
        facilities = c.facilities
        big = set(facilities.loc[facilities["type_id"] == "major_st_infrastructure", "facility_id"])
        placed = table[table["entity_id"].isin(big)].drop_duplicates("entity_id")
        added = [placed.assign(stage_id=stage, footing="reading") for stage in stages]
        return _restaged(c, pd.concat([table, *added], ignore_index=True))
    raise ValueError(f"unknown reading {reading!r}; readings are {', '.join(READINGS)}")


def _restaged(c, table: pd.DataFrame) -> pd.DataFrame:
    """One row per (entity, stage), the original row first, with the stage's order and names renewed."""
    stages = c.stages.set_index("stage_id")
    table = table.drop_duplicates(["entity_id", "stage_id"], keep="first")
    return table.assign(
        stage_order=table["stage_id"].map(stages["stage_order"]),
        stage_zh=table["stage_id"].map(stages["name_zh"]),
        stage_en=table["stage_id"].map(stages["name_en"]),
    ).reset_index(drop=True)


def cluster_verdicts(roles: pd.DataFrame, stages: pd.DataFrame, cluster_id: str) -> dict:
    """One cluster's verdicts from a set of roles: the single place they are computed.

    ``profile`` is the count of entities per stage in chain order; ``middle``
    is ``light``, ``not light`` or ``gap`` (:func:`.roles.middle_light`);
    ``whole_chain`` is True when every stage has a documented entity.
    """
    mine = roles[roles["cluster_id"] == cluster_id]
    table = roles_model.profile(mine, stages, groups=[cluster_id])
    middle = roles_model.middle_light(table).loc[0, "middle"]
    gaps = roles_model.gaps(mine, stages)
    return {
        "coverage": roles_model.coverage(mine, stages),
        "gaps": gaps,
        "middle": middle,
        "bridges": roles_model.bridges(mine, stages),
        "whole_chain": not gaps,
        "profile": [int(n) for n in table.sort_values("stage_order")["count"]],
    }


def sensitivity(c) -> pd.DataFrame:
    """Every cluster's verdicts under every reading: one row per (cluster, reading).

    ``changed`` lists the verdicts (:data:`VERDICTS`) that differ from the
    cluster's ``as_read`` row; ``n_rows`` counts the roles the reading keeps.
    """
    rows = []
    for reading in READINGS:
        table = roles_under(c, reading)
        for cluster_id in c.clusters["cluster_id"]:
            verdicts = cluster_verdicts(table, c.stages, cluster_id)
            rows.append(
                {
                    "cluster_id": cluster_id,
                    "reading": reading,
                    "n_rows": int((table["cluster_id"] == cluster_id).sum()),
                    **verdicts,
                }
            )
    frame = pd.DataFrame(rows)
    base = frame[frame["reading"] == "as_read"].set_index("cluster_id")
    frame["changed"] = [
        [v for v in VERDICTS if row[v] != base.loc[row["cluster_id"], v]] for _, row in frame.iterrows()
    ]
    return frame


def footing_counts(c) -> pd.DataFrame:
    """Per cluster: how many of its roles rest on each footing (columns :data:`.roles.FOOTINGS`), and in all."""
    table = c.roles
    counts = (
        table.groupby(["cluster_id", "footing"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=list(c.clusters["cluster_id"]), columns=list(roles_model.FOOTINGS), fill_value=0)
        .astype(int)
    )
    counts["total"] = counts.sum(axis=1)
    return counts.rename_axis(columns=None).reset_index()


def stands(sens: pd.DataFrame, cluster_id: str, verdict: str, readings=DROPPING) -> bool:
    """Whether a cluster's verdict is the same as read under every one of ``readings``."""
    rows = sens[(sens["cluster_id"] == cluster_id) & sens["reading"].isin(readings)]
    return not any(verdict in changed for changed in rows["changed"])


def headline(c, sens: pd.DataFrame | None = None) -> dict[str, dict[str, int]]:
    """Per reading, how many clusters cover the whole chain, show a light middle, a gap, or a bridge."""
    sens = sensitivity(c) if sens is None else sens
    out = {}
    for reading, part in sens.groupby("reading", sort=False):
        out[reading] = {
            "n_clusters": len(part),
            "whole_chain": int(part["whole_chain"].sum()),
            "light": int((part["middle"] == "light").sum()),
            "gap": int((part["middle"] == "gap").sum()),
            "with_bridge": int((part["bridges"].map(len) > 0).sum()),
        }
    return out
