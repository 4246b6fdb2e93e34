"""The innovation-chain model: four stages, three categories, and who serves which stage.

The paper's full chain (全链条) runs 前沿基础研究 → 应用基础研究 → 产业技术研究 →
产业转化 (§1.2). Each facility type belongs to one of three categories
(研究类, 成果转化类, 支撑类; §1.3) and serves one or more stages. The
functions here join those tables into tidy frames the charts draw and the
chapters quote, and count how densely each stage is served: the "profile"
that §2.2's death-valley argument (两头重、中间轻) is about.
"""

from __future__ import annotations

import pandas as pd

from .data import load_table


def chain_stages(data_dir=None) -> pd.DataFrame:
    """The chain stages in chain order."""
    return load_table("chain_stages", data_dir).sort_values("stage_order", ignore_index=True)


def facility_categories(data_dir=None) -> pd.DataFrame:
    """The three infrastructure categories in the paper's order."""
    return load_table("facility_categories", data_dir).sort_values(
        "category_order", ignore_index=True
    )


def type_stage_links(data_dir=None) -> pd.DataFrame:
    """One row per (facility type, chain stage) link, with names of type, category and stage.

    Rows come out in category order, then type order as listed in the paper,
    then chain order, so every chart and table built from them is stable.
    """
    types = load_table("facility_types", data_dir).reset_index(names="type_order")
    links = load_table("type_stages", data_dir)[["type_id", "stage_id", "coding", "quote_zh"]]
    categories = facility_categories(data_dir)[["category_id", "category_order", "name_zh", "name_en"]]
    stages = chain_stages(data_dir)[["stage_id", "stage_order", "name_zh", "name_en"]]
    frame = (
        links.merge(types[["type_id", "type_order", "category_id", "name_zh", "name_en"]], on="type_id")
        .rename(columns={"name_zh": "type_zh", "name_en": "type_en"})
        .merge(categories.rename(columns={"name_zh": "category_zh", "name_en": "category_en"}), on="category_id")
        .merge(stages.rename(columns={"name_zh": "stage_zh", "name_en": "stage_en"}), on="stage_id")
    )
    order = ["category_order", "type_order", "stage_order"]
    return frame.sort_values(order, ignore_index=True)


def stage_profile(links: pd.DataFrame, by: str | None = None, stages: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many distinct facilities (or facility types) serve each chain stage.

    ``links`` has one row per (thing, stage) with a ``stage_id`` column and a
    column naming the thing: ``facility_id`` if present, else ``type_id``.
    ``by`` optionally splits the count (for example by ``cluster_id`` or
    ``category_id``). Stages nobody serves are kept with a count of zero, so a
    gap in the chain shows as a gap, not as a missing row.
    """
    thing = "facility_id" if "facility_id" in links.columns else "type_id"
    stages = stages if stages is not None else chain_stages()
    keys = ([by] if by else []) + ["stage_id"]
    counts = links.groupby(keys, observed=True)[thing].nunique().rename("count")
    if by:
        groups = sorted(links[by].dropna().unique())
        index = pd.MultiIndex.from_product([groups, list(stages["stage_id"])], names=keys)
    else:
        index = pd.Index(list(stages["stage_id"]), name="stage_id")
    profile = counts.reindex(index, fill_value=0).reset_index()
    profile = profile.merge(stages[["stage_id", "stage_order", "name_zh", "name_en"]], on="stage_id")
    profile["count"] = profile["count"].astype(int)
    return profile.sort_values(([by] if by else []) + ["stage_order"], ignore_index=True)


def stage_coverage(links: pd.DataFrame, stages: pd.DataFrame | None = None) -> float:
    """Share of the chain's stages served by at least one thing in ``links`` (0 to 1)."""
    stages = stages if stages is not None else chain_stages()
    served = set(links["stage_id"]) & set(stages["stage_id"])
    return len(served) / len(stages)


def category_stage_counts(links: pd.DataFrame) -> pd.DataFrame:
    """Category × stage table: how many member types of each category serve each stage."""
    table = stage_profile(links, by="category_id")
    return table.pivot(index="category_id", columns="stage_id", values="count")


def typology_numbers(data_dir=None) -> dict[str, int]:
    """The counts §1's prose quotes, computed from the tables."""
    links = type_stage_links(data_dir)
    return {
        "n_stages": len(chain_stages(data_dir)),
        "n_categories": len(facility_categories(data_dir)),
        "n_types": links["type_id"].nunique(),
        "n_links": len(links),
        "n_links_stated": int((links["coding"] == "stated").sum()),
        "n_links_inferred": int((links["coding"] == "inferred").sum()),
        "n_full_chain_types": int((links.groupby("type_id")["stage_id"].nunique() == len(chain_stages(data_dir))).sum()),
    }
