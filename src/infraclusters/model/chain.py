"""The innovation-chain model: four stages, three categories, and who serves which stage.

The paper's whole chain (全链条) runs 前沿基础研究 → 应用基础研究 → 产业技术研究 →
产业转化 (§1.2). Each facility type belongs to one of three categories
(研究类, 成果转化类, 支撑类; §1.3) and serves one or more stages. The
functions here join those tables into tidy frames the charts draw and the
chapters quote. This is the paper's typology; the case clusters are measured
on documented roles instead (:mod:`.roles`), not on their facilities' types.

Functions that read data take a :class:`~infraclusters.model.compendium.Compendium`
first; the others are pure (frames in, frame out).
"""

from __future__ import annotations

import pandas as pd


def type_stage_links(c) -> pd.DataFrame:
    """One row per (facility type, chain stage) link of the §1.3 typology, with names of type, category and stage.

    Only the types §1.3 names make the typology. ``facility_types`` also holds
    what the paper calls an entity elsewhere (§3.1's 成果转化平台), so the
    inventory can follow the paper's designation; such a type has a category
    and no typology links, and a case is measured on roles, not types.
    Rows come out in category order, then type order as listed in the paper,
    then chain order, so every chart and table built from them is stable.
    """
    types = c.table("facility_types").reset_index(names="type_order")
    types = types[types["source"].str.startswith("paper §1.3")]
    links = c.table("type_stages")[["type_id", "stage_id", "coding", "quote_zh"]]
    categories = c.categories[["category_id", "category_order", "name_zh", "name_en"]]
    stages = c.stages[["stage_id", "stage_order", "name_zh", "name_en"]]
    frame = (
        links.merge(types[["type_id", "type_order", "category_id", "name_zh", "name_en"]], on="type_id")
        .rename(columns={"name_zh": "type_zh", "name_en": "type_en"})
        .merge(categories.rename(columns={"name_zh": "category_zh", "name_en": "category_en"}), on="category_id")
        .merge(stages.rename(columns={"name_zh": "stage_zh", "name_en": "stage_en"}), on="stage_id")
    )
    order = ["category_order", "type_order", "stage_order"]
    return frame.sort_values(order, ignore_index=True)


def stage_profile(links: pd.DataFrame, stages: pd.DataFrame, by: str | None = None, groups=None) -> pd.DataFrame:
    """How many distinct things (entities, facilities or facility types) serve each chain stage.

    ``links`` has one row per (thing, stage) with a ``stage_id`` column and a
    column naming the thing: ``entity_id``, else ``facility_id``, else ``type_id``.
    ``stages`` are the chain's stages (``c.stages``). ``by`` optionally splits
    the count (for example by ``cluster_id`` or ``category_id``); ``groups``
    lists the groups to show (default: those in ``links``). Stages nobody
    serves are kept with a count of zero, so a gap in the chain shows as a gap,
    not as a missing row.
    """
    thing = next(name for name in ("entity_id", "facility_id", "type_id") if name in links.columns)
    keys = ([by] if by else []) + ["stage_id"]
    counts = links.groupby(keys, observed=True)[thing].nunique().rename("count")
    if by:
        groups = list(groups) if groups is not None else sorted(links[by].dropna().unique())
        index = pd.MultiIndex.from_product([groups, list(stages["stage_id"])], names=keys)
    else:
        index = pd.Index(list(stages["stage_id"]), name="stage_id")
    profile = counts.reindex(index, fill_value=0).reset_index()
    profile = profile.merge(stages[["stage_id", "stage_order", "name_zh", "name_en"]], on="stage_id")
    profile["count"] = profile["count"].astype(int)
    return profile.sort_values(([by] if by else []) + ["stage_order"], ignore_index=True)


def stage_coverage(links: pd.DataFrame, stages: pd.DataFrame) -> float:
    """Share of the chain's stages served by at least one thing in ``links`` (0 to 1)."""
    served = set(links["stage_id"]) & set(stages["stage_id"])
    return len(served) / len(stages)


def category_stage_counts(links: pd.DataFrame, stages: pd.DataFrame) -> pd.DataFrame:
    """Category × stage table: how many member types of each category serve each stage."""
    table = stage_profile(links, stages, by="category_id")
    return table.pivot(index="category_id", columns="stage_id", values="count")


def typology_numbers(c) -> dict[str, int]:
    """The counts §1's prose quotes, computed from the tables."""
    links = c.type_links
    n_stages = len(c.stages)
    return {
        "n_stages": n_stages,
        "n_categories": len(c.categories),
        "n_types": links["type_id"].nunique(),
        "n_links": len(links),
        "n_links_stated": int((links["coding"] == "stated").sum()),
        "n_links_inferred": int((links["coding"] == "inferred").sum()),
        "n_full_chain_types": int((links.groupby("type_id")["stage_id"].nunique() == n_stages).sum()),
    }


def link_facilities(facilities: pd.DataFrame, type_links: pd.DataFrame) -> pd.DataFrame:
    """Join facilities to the stages of their type (pure: frames in, frame out; used on 100,000 rows too)."""
    links = type_links[["type_id", "stage_id", "stage_order", "coding", "category_id"]]
    frame = facilities.merge(links, on="type_id", how="inner", validate="many_to_many")
    return frame.sort_values(["cluster_id", "facility_id", "stage_order"], ignore_index=True)


def talent_stage_links(c) -> pd.DataFrame:
    """The §2.4 talent types on the chain stages they drive, with the paper's sentence for each type."""
    talents = c.table("talent_types").rename(columns={"name_zh": "talent_zh", "name_en": "talent_en"})
    claims = c.claims[["claim_id", "quote_zh"]]
    stages = c.stages.rename(columns={"name_zh": "stage_zh", "name_en": "stage_en"})
    frame = (
        c.table("talent_stages")[["talent_id", "stage_id", "coding", "note_en"]]
        .merge(talents[["talent_id", "talent_order", "talent_zh", "talent_en", "claim_id"]], on="talent_id")
        .merge(claims, on="claim_id")
        .merge(stages[["stage_id", "stage_order", "stage_zh", "stage_en"]], on="stage_id")
    )
    return frame.sort_values(["talent_order", "stage_order"], ignore_index=True)


BRIDGE_TYPES = ("proof_of_concept_centre", "pilot_base")


def translation_bridge(c) -> pd.DataFrame:
    """Sample → product → commodity on the chain, and the translation facilities that bridge it (§2.2).

    One row per mark: ``element`` is ``form`` (a product form, on the stage the
    paper's wording puts it) or ``facility`` (a stage a bridging type serves).
    ``row_zh``/``row_en`` name the row the mark sits in.
    """
    stages = c.stages.rename(columns={"name_zh": "stage_zh", "name_en": "stage_en"})[
        ["stage_id", "stage_order", "stage_zh", "stage_en"]
    ]
    claims = c.claims[["claim_id", "quote_zh"]]
    forms = c.table("product_forms").merge(claims, on="claim_id").merge(stages, on="stage_id")
    forms = forms.assign(
        element="form", row_zh="样品 → 产品 → 商品", row_en="Sample → product → commodity", row_order=0
    )
    links = c.type_links
    notes = c.table("type_stages")[["type_id", "stage_id", "note_en"]]
    bridges = links[links["type_id"].isin(BRIDGE_TYPES)].merge(notes, on=["type_id", "stage_id"])
    bridges = bridges.assign(
        element="facility", row_zh=bridges["type_zh"], row_en=bridges["type_en"], row_order=bridges["type_order"] + 1
    )
    columns = ["element", "row_zh", "row_en", "row_order", "name_zh", "name_en"]
    columns += ["stage_id", "stage_order", "stage_zh", "stage_en", "quote_zh", "note_en"]
    return pd.concat([forms.reindex(columns=columns), bridges.reindex(columns=columns)], ignore_index=True)
