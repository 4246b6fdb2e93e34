"""Which chapter and which figure reproduces which claim of the paper.

Chapters cite a claim of the ledger (``data/claims.csv``) where their prose
reproduces it, with the ``{claim}`` role: ``{claim}`C1.1-04```. Figures list
the claims they show in their registry entry. This module reads both, so the
ledger appendix, the ``coverage`` command and the tests see the same thing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import paths

CLAIM_ROLE = re.compile(r"\{claim\}`([^`\s]+)`")  # a role: {claim}`C1.1-04` (no spaces inside)


def chapter_files(root: Path | None = None) -> dict[str, Path]:
    """Docname → source file of every page in the table of contents, in book order."""
    import yaml

    root = root or paths.root()
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


def chapter_claims(root: Path | None = None) -> dict[str, list[str]]:
    """Docname → the claim ids its text cites, in order of first mention."""
    found = {}
    for docname, path in chapter_files(root).items():
        if docname.endswith("/claims"):  # the ledger itself cites an example, which is no support
            continue
        ids = CLAIM_ROLE.findall(path.read_text(encoding="utf-8"))
        found[docname] = list(dict.fromkeys(i.strip() for i in ids))
    return found


def figure_claims() -> dict[str, list[str]]:
    """Figure id → the claim ids the figure shows."""
    from . import figures

    return {fig.id: list(fig.claims) for fig in figures.FIGURES.values()}


def unknown_claims(known: set[str], root: Path | None = None) -> list[str]:
    """'where: id' for every cited claim id that the ledger does not have."""
    bad = [f"{doc}: {c}" for doc, ids in chapter_claims(root).items() for c in ids if c not in known]
    bad += [f"figure {fig}: {c}" for fig, ids in figure_claims().items() for c in ids if c not in known]
    return bad


def ledger(data_dir=None, root: Path | None = None) -> pd.DataFrame:
    """The claims ledger with, per claim, the chapters and figures that reproduce it."""
    from .data import load_table

    claims = load_table("claims", data_dir)
    chapters: dict[str, list[str]] = {}
    for docname, ids in chapter_claims(root).items():
        for claim in ids:
            chapters.setdefault(claim, []).append(docname)
    figs: dict[str, list[str]] = {}
    for figure_id, ids in figure_claims().items():
        for claim in ids:
            figs.setdefault(claim, []).append(figure_id)
    claims["chapters"] = claims["claim_id"].map(lambda c: chapters.get(c, []))
    claims["figures"] = claims["claim_id"].map(lambda c: figs.get(c, []))
    claims["covered"] = claims["chapters"].map(bool) | claims["figures"].map(bool)
    return claims


def report(data_dir=None, root: Path | None = None) -> str:
    """A plain-text coverage report: totals, per section, and every claim supported nowhere."""
    table = ledger(data_dir, root)
    lines = [f"{int(table['covered'].sum())} of {len(table)} claims reproduced in a chapter or figure"]
    for section, group in table.groupby("section", sort=False):
        lines.append(f"  §{section}: {int(group['covered'].sum())}/{len(group)}")
    missing = table[~table["covered"]]
    if len(missing):
        lines.append(f"supported nowhere ({len(missing)}):")
        lines += [f"  {row.claim_id} [{row.kind}] {row.text_en}" for row in missing.itertuples()]
    return "\n".join(lines)
