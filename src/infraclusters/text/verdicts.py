"""The case verdicts in words, with their footing and what flips them (:mod:`infraclusters.model.verdicts`).

One table and one set of sentences serve the case pages, the mechanisms
chapter and the landing page, so a verdict reads the same wherever it stands.
"""

from __future__ import annotations

import pandas as pd

from ..edition import N_, Edition
from ..model import verdicts
from .markup import literal
from .tables import cell, markdown_table

#: How each reading is named on the page.
READING_LABELS = {
    "as_read": N_("As the book reads the evidence (every row)"),
    "without_inferred": N_("Without the book's inferred rows"),
    "without_self_reported": N_("Without the authors' account of their own laboratory"),
    "paper_and_public": N_("The paper's words about others and public pages only"),
    "translation_as_research": N_("Other reading of §3.1: 成果转化 at 产业技术研究, not 产业转化"),
    "big_facilities_whole_process": N_("§1.3 for big facilities: support infrastructure on every stage (全过程)"),
}
#: On a reader's own cluster the inferred rows are theirs.
READERS_READING_LABELS = {
    **READING_LABELS,
    "as_read": N_("As the data's author reads the evidence (every row)"),
    "without_inferred": N_("Without the data's author's inferred rows"),
    "paper_and_public": N_("The sources' own words only (no inferred rows)"),
}


def reading_labels(c, cluster_id: str | None) -> dict[str, str]:
    """The readings' names for a cluster: a reader's cluster credits its inferences to the data's author."""
    return READERS_READING_LABELS if cluster_id is not None and cluster_id in c.own_cluster_ids else READING_LABELS


MIDDLE_LABELS = {
    "light": N_("lighter than both ends"),
    "not light": N_("not lighter than both ends"),
    "gap": N_("cannot say: a stage has no entity"),
}
VERDICT_LABELS = {
    "coverage": N_("coverage"),
    "gaps": N_("gaps"),
    "middle": N_("the middle (两头重、中间轻)"),
    "bridges": N_("bridges"),
    "whole_chain": N_("whole chain"),
}
READERS_INFERENCE = N_("the data's author's inference")
FOOTING_LABELS = {
    "paper": N_("the paper"),
    "public": N_("public pages"),
    "inferred": N_("the book's inference"),
    "self_reported": N_("the authors on their own laboratory"),
}


def _stage_names(ids, c, ed: Edition) -> str:
    stages = c.stages.set_index("stage_id")
    return ed.join(ed.both(stages.loc[i, "name_zh"], stages.loc[i, "name_en"]) for i in ids)


def _cluster_names(part: pd.DataFrame, c, ed: Edition) -> str:
    """The clusters of a part of the sensitivity table, named as the edition writes them ("none" if it is empty)."""
    names = c.clusters.set_index("cluster_id")
    return ed.join(ed.both(names.loc[i, "name_zh"], names.loc[i, "name_en"]) for i in part["cluster_id"]) or ed.t(
        "none"
    )


def _entity_names(ids, c, ed: Edition) -> str:
    names = c.roles.drop_duplicates("entity_id").set_index("entity_id")
    return ed.join(ed.both(names.loc[i, "name_zh"], names.loc[i, "name_en"]) for i in ids) or ed.t("none")


def sensitivity_table(c, ed: Edition, sens: pd.DataFrame | None = None, cluster_id: str | None = None):
    """The verdicts under every reading, one row per (cluster, reading), and what changed from the book's reading."""

    sens = verdicts.sensitivity(c) if sens is None else sens
    if cluster_id is not None:
        sens = sens[sens["cluster_id"] == cluster_id]
    names = c.clusters.set_index("cluster_id")
    reading_names = reading_labels(c, cluster_id)
    labels = [N_("Reading"), N_("Roles kept"), N_("Entities per stage"), N_("Whole chain")]
    readers = cluster_id is not None and cluster_id in c.own_cluster_ids
    differs = N_("Differs from the data's author's reading in") if readers else N_("Differs from the book's reading in")
    labels += [N_("The middle"), N_("Bridges"), differs]
    if cluster_id is None:
        labels.insert(0, N_("Cluster"))
    rows = []
    for r in sens.itertuples():
        whole = (
            ed.t("yes") if r.whole_chain else ed.t("no: gaps at {stages}").format(stages=_stage_names(r.gaps, c, ed))
        )
        changed = ed.join(ed.t(VERDICT_LABELS[v]) for v in r.changed) if r.changed else "—"
        cells = [
            ed.t(reading_names[r.reading]),
            str(r.n_rows),
            "/".join(str(n) for n in r.profile),
            whole,
            ed.t(MIDDLE_LABELS[r.middle]),
            _entity_names(r.bridges, c, ed),
            changed,
        ]
        if cluster_id is None:
            cells.insert(0, ed.both(names.loc[r.cluster_id, "name_zh"], names.loc[r.cluster_id, "name_en"]))
        rows.append("| " + " | ".join(cell(x) for x in cells) + " |")
    return markdown_table(labels, rows, ed)


def footing_sentence(c, cluster_id: str, ed: Edition) -> str:
    """What a cluster's roles rest on, counted: "Its 8 roles rest on the paper (1), public pages (3)…".

    On a reader's own cluster the inferences are the data's author's, and are named so.
    """
    counts = verdicts.footing_counts(c).set_index("cluster_id").loc[cluster_id]
    labels = {**FOOTING_LABELS, "inferred": READERS_INFERENCE} if cluster_id in c.own_cluster_ids else FOOTING_LABELS
    parts = [f"{ed.t(labels[f])} ({int(counts[f])})" for f in labels if int(counts[f])]
    if not parts:
        return ed.t("No role on the chain is documented for this cluster, so no verdict rests on anything.")
    return ed.t("Its {n} roles on the chain rest on {parts}.").format(n=int(counts["total"]), parts=ed.join(parts))


def flip_sentences(c, cluster_id: str, ed: Edition, sens: pd.DataFrame | None = None) -> list[str]:
    """For each verdict, in words: what it is as read, and under which readings it is different."""
    sens = verdicts.sensitivity(c) if sens is None else sens
    mine = sens[sens["cluster_id"] == cluster_id].set_index("reading")
    base = mine.loc["as_read"]
    reading_names = reading_labels(c, cluster_id)
    said = []
    checks = (
        ("whole_chain", N_("The whole chain is covered"), N_("The chain has gaps ({stages})")),
        ("middle", None, None),
        ("bridges", None, None),
    )
    for verdict, yes, no in checks:
        flips = [reading for reading in verdicts.READINGS[1:] if verdict in mine.loc[reading, "changed"]]
        if verdict == "whole_chain":
            head = ed.t(yes) if base["whole_chain"] else ed.t(no).format(stages=_stage_names(base["gaps"], c, ed))
        elif verdict == "middle":
            head = ed.t("The middle is {verdict}").format(verdict=ed.t(MIDDLE_LABELS[base["middle"]]))
        else:
            head = ed.t("Bridges: {names}").format(names=_entity_names(base["bridges"], c, ed))
        if not flips:
            said.append(ed.t("{verdict}, and stays so under every reading.").format(verdict=head))
            continue
        outcomes = []
        for reading in flips:
            row = mine.loc[reading]
            if verdict == "whole_chain":
                now = (
                    ed.t("gaps at {stages}").format(stages=_stage_names(row["gaps"], c, ed))
                    if row["gaps"]
                    else ed.t("whole chain")
                )
            elif verdict == "middle":
                now = ed.t(MIDDLE_LABELS[row["middle"]])
            else:
                now = _entity_names(row["bridges"], c, ed)
            outcomes.append(ed.t("{reading}: {now}.").format(reading=ed.t(reading_names[reading]), now=now))
        gap = "" if ed.is_chinese else " "  # Chinese sentences follow each other with no space after 。
        said.append(gap.join([ed.t("{verdict}, but it flips.").format(verdict=head), *outcomes]))
    return said


def footing(c, cluster_id: str, ed: Edition):
    """A case page's footing: what the roles rest on, each verdict's flips in words, and the readings table."""
    from IPython.display import Markdown, display

    sens = verdicts.sensitivity(c)
    flips = "\n".join(f"- {literal(s)}" for s in flip_sentences(c, cluster_id, ed, sens))
    display(Markdown(f"{literal(footing_sentence(c, cluster_id, ed))}\n\n{flips}"))
    return sensitivity_table(c, ed, sens, cluster_id)


def glue_verdicts(c, ed: Edition) -> None:
    """Glue the cross-case verdicts the mechanisms chapter states, under the book's reading and the evidence's alone."""
    from .tables import glue_numbers

    sens = verdicts.sensitivity(c)

    read = sens[sens["reading"] == "as_read"]
    alone = sens[sens["reading"] == "paper_and_public"]
    light = read[read["middle"] == "light"]
    glue_numbers(
        {
            "n_light_alone": int((alone["middle"] == "light").sum()),
            "light_alone_clusters": _cluster_names(alone[alone["middle"] == "light"], c, ed),
            "n_gap_alone": int((alone["middle"] == "gap").sum()),
            "gap_alone_clusters": _cluster_names(alone[alone["middle"] == "gap"], c, ed),
            "n_light_stands": sum(verdicts.stands(sens, i, "middle") for i in light["cluster_id"]),
        }
    )


def headline(c, ed: Edition) -> str:
    """The landing page's finding on the whole chain and the middle, with what it rests on, as one paragraph."""
    sens = verdicts.sensitivity(c)
    counts = verdicts.headline(c, sens)

    read, alone = sens[sens["reading"] == "as_read"], sens[sens["reading"] == "paper_and_public"]
    return ed.t(
        "**Heavy at both ends, light in the middle (两头重、中间轻).** The paper (§2.2) names this the crux of "
        "the 'valley of death' between laboratory and industry. As the book reads the cases (the paper, public "
        "pages, the book's own inferences and the authors' account of their own laboratory), it shows in {light} "
        "of the {n} science cities ({light_names}): fewer entities serve the chain's middle stages than its ends. "
        "That rests on the book's own readings: on the paper's words about others and public pages alone it shows "
        "in {light_alone}, and {gap_alone} science cities have no documented entity at some stage, so there the "
        "book cannot say. Coverage counts presence, not strength: {read} of the {n} cover the whole chain as read "
        "({alone} on the evidence alone: {alone_names}), which does not contradict the paper's 关键环节薄弱 (weak "
        "key links), a judgement of weight these counts do not measure ({page})."
    ).format(
        alone=counts["paper_and_public"]["whole_chain"],
        n=counts["as_read"]["n_clusters"],
        alone_names=_cluster_names(alone[alone["whole_chain"]], c, ed),
        read=counts["as_read"]["whole_chain"],
        light=counts["as_read"]["light"],
        light_names=_cluster_names(read[read["middle"] == "light"], c, ed),
        light_alone=counts["paper_and_public"]["light"],
        gap_alone=counts["paper_and_public"]["gap"],
        page="{doc}`mechanisms`",
    )
