"""Which chapter and which figure reproduces which claim of the paper.

Chapters cite a claim of the ledger (``data/claims.csv``) where their prose
reproduces it, with the ``{claim}`` role: ``{claim}`C1.1-04```. Figures list
the claims they show in their registry entry, which the caller passes in
(``figures.figure_claims()``), so this model module needs no figure code.
The ledger appendix, the ``coverage`` command and the tests all read it here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import factcheck

CLAIM_ROLE = re.compile(r"\{claim\}`([^`\s]+)`")  # a role: {claim}`C1.1-04` (no spaces inside)


def chapter_files(root: Path) -> dict[str, Path]:
    """Docname → source file of every page in the table of contents of the book in ``root``, in book order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    names = [toc["root"]]
    for part in toc.get("parts", []):
        for entry in part.get("chapters", []):
            if "glob" in entry:  # generated pages (the case chapter, one per cluster)
                names += sorted(
                    p.relative_to(root).with_suffix("").as_posix() for p in root.glob(entry["glob"] + ".md")
                )
            else:
                names.append(entry["file"])
    return {name: root / f"{name}.md" for name in names}


def generates_case_pages(root: Path) -> bool:
    """Whether the book's table of contents has the case pages written at build time (a glob under chapters/cases)."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return any(
        "glob" in entry and entry["glob"].startswith("chapters/cases/")
        for part in toc.get("parts", [])
        for entry in part.get("chapters", [])
    )


def chapter_claims(root: Path) -> dict[str, list[str]]:
    """Docname → the claim ids its text cites, in order of first mention."""
    found = {}
    for docname, path in chapter_files(root).items():
        if docname.endswith("/claims"):  # the ledger itself cites an example, which is no support
            continue
        ids = CLAIM_ROLE.findall(path.read_text(encoding="utf-8"))
        found[docname] = list(dict.fromkeys(i.strip() for i in ids))
    return found


def unknown_claims(c, figure_claims: dict[str, list[str]]) -> list[str]:
    """'where: id' for every cited claim id that the ledger does not have."""
    known = set(c.claims["claim_id"])
    bad = [f"{doc}: {i}" for doc, ids in chapter_claims(c.root).items() for i in ids if i not in known]
    bad += [f"figure {fig}: {i}" for fig, ids in figure_claims.items() for i in ids if i not in known]
    return bad


def ledger(c, figure_claims: dict[str, list[str]]) -> pd.DataFrame:
    """The claims ledger with, per claim, the chapters (of the book in ``c.root``) and figures that reproduce it."""
    claims = c.claims
    chapters: dict[str, list[str]] = {}
    cited = chapter_claims(c.root)
    if generates_case_pages(c.root) and not any(doc.startswith("chapters/cases/") for doc in cited):
        # A fresh checkout: the case pages are written at build time, each citing its section's claims
        # in its header (text.case_page); count them as the build will, not as uncited.
        for number, cluster_id in enumerate(c.clusters["cluster_id"], start=1):
            cited[f"chapters/cases/{number:02d}_{cluster_id}"] = list(c.cluster(cluster_id).claims["claim_id"])
    for docname, ids in cited.items():
        for claim in ids:
            chapters.setdefault(claim, []).append(docname)
    figs: dict[str, list[str]] = {}
    for figure_id, ids in figure_claims.items():
        for claim in ids:
            figs.setdefault(claim, []).append(figure_id)
    claims["chapters"] = claims["claim_id"].map(lambda c: chapters.get(c, []))
    claims["figures"] = claims["claim_id"].map(lambda c: figs.get(c, []))
    claims["covered"] = claims["chapters"].map(bool) | claims["figures"].map(bool)
    checks = factcheck.table(c)
    found = checks[checks["agreement"] != "not found"]
    claims["checked"] = claims["claim_id"].isin(set(found["claim_id"]))
    claims["support"] = [
        "figure" if figs else "checked" if checked else "quoted" if docs else "none"
        for figs, checked, docs in zip(claims["figures"], claims["checked"], claims["chapters"], strict=True)
    ]
    return claims


#: How far the book goes with a claim, strongest first (see :func:`support_counts`).
SUPPORT = ("figure", "checked", "quoted", "none")


def support_counts(table) -> dict[str, int]:
    """Claims by how far the book goes with them, each counted once at its strongest.

    ``figure``: drawn or computed in a figure of the book; ``checked``: not in a
    figure, but set against a public page in the fact check (found: agrees,
    partially agrees or disagrees); ``quoted``: only cited in a chapter's prose;
    ``none``: not yet cited anywhere. ``checked_in_all`` counts every claim
    with a public page found, figure or not.
    """
    counts = {level: int((table["support"] == level).sum()) for level in SUPPORT}
    counts["checked_in_all"] = int(table["checked"].sum())
    counts["total"] = len(table)
    return counts


def report(c, figure_claims: dict[str, list[str]]) -> str:
    """A plain-text coverage report: totals, per section, and every claim supported nowhere."""
    table = ledger(c, figure_claims)
    n = support_counts(table)
    lines = [
        f"{n['total']} claims: {n['figure']} drawn or computed in a figure, {n['checked']} more checked against a "
        f"public page, {n['quoted']} only quoted in a chapter, {n['none']} not yet cited "
        f"({n['checked_in_all']} checked against a public page in all)"
    ]
    for section, group in table.groupby("section", sort=False):
        lines.append(f"  §{section}: {int(group['covered'].sum())}/{len(group)}")
    missing = table[~table["covered"]]
    if len(missing):
        lines.append(f"supported nowhere ({len(missing)}):")
        lines += [f"  {row.claim_id} [{row.kind}] {row.text_en}" for row in missing.itertuples()]
    return "\n".join(lines)
