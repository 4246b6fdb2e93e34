"""A starter data directory for a reader's own cluster: ``python -m infraclusters new-cluster ID DIR``.

It holds only what a cluster needs, laid over the book's tables (see
:mod:`.layers`): the five tables a cluster is made of, each with the book's
header and one example row commented out with ``#``, an empty
``references.bib``, and a descriptor naming the dataset, its authors, date and
licence, for the reader to fill in. Nothing is ever written into a folder that
already holds files.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

from .layers import BASE, DESCRIPTOR

#: The tables a cluster is made of, in the order to fill them.
TABLES = ("clusters", "facilities", "organisations", "relations", "roles")

CLUSTER_ID = re.compile(r"[a-z][a-z0-9_]*")


def examples(cluster_id: str) -> dict[str, dict[str, str]]:
    """One example row per table, for the cluster being started (commented out in the files)."""
    facility, org = f"{cluster_id}_light_source", f"{cluster_id}_university"
    return {
        "clusters": {
            "cluster_id": cluster_id,
            "name_zh": "示例科学城",
            "name_en": "Example Science City",
            "industry_focus_zh": "未来材料产业",
            "industry_focus_en": "future materials industry",
            "longitude": "113.90",
            "latitude": "22.90",
            "coordinate_note": "From the page cited in source; say what the point marks (a landmark, the core area).",
            "source": "my_source_2025",
        },
        "facilities": {
            "facility_id": facility,
            "cluster_id": cluster_id,
            "name_zh": "示例光源",
            "name_en": "Example Light Source",
            "type_id": "major_st_infrastructure",
            "status": "operating",
            "year": "2020",
            "year_meaning": "first operation",
            "named_in_paper": "no",
            "notes": "What the page says, in a sentence.",
            "source": "my_source_2025",
        },
        "organisations": {
            "org_id": org,
            "cluster_id": cluster_id,
            "name_zh": "示例大学",
            "name_en": "Example University",
            "org_kind": "university",
            "named_in_paper": "no",
            "notes": "An institute of another cluster that also serves yours keeps its one id: use it in relations.",
            "source": "my_source_2025",
        },
        "relations": {
            "relation_id": f"{cluster_id}_r1",
            "from_id": org,
            "to_id": facility,
            "relation": "operates",
            "notes": "What the page says links the two.",
            "source": "my_source_2025",
        },
        "roles": {
            "role_id": f"{facility}@frontier_basic_research",
            "entity_id": facility,
            "stage_id": "frontier_basic_research",
            "coding": "public",
            "quote": "The page's own words that place it on this stage.",
            "note_en": "How you read them, if the coding is inferred.",
            "source": "my_source_2025",
        },
    }


#: What the starter's descriptor says until the reader writes their own; ``validate`` refuses it on a page.
TITLE_PLACEHOLDER = "(replace with your dataset's title)"
NAME_PLACEHOLDER = "Your name"

EXAMPLE_BIB = """% Your sources: one entry per key your rows cite in `source`. An example:
%
% author: an outlet or organisation goes in double braces, {{湖北日报}} or {{Hubei Daily, Wuhan}},
% so that it stays whole (single braces would read "Hubei Daily, Wuhan" as a person, "Wuhan, Hubei Daily");
% people as "Family, Given and Family, Given", Chinese names as {{吴纯新}}.
%
% @misc{my_source_2025,
%   title   = {The page's headline as printed},
%   author  = {{Outlet or organisation}},
%   year    = {2025},
%   date    = {2025-05-01},
%   url     = {https://example.org/page},
%   urldate = {2025-06-01},
%   grade   = {press},
%   note    = {Outlet; what the page is (original, repost of …)}
% }
"""


def write(cluster_id: str, directory: Path, root: Path, today: date | None = None) -> list[Path]:
    """Write the starter directory for ``cluster_id`` into ``directory`` (new or empty); returns the files written."""
    if not CLUSTER_ID.fullmatch(cluster_id):
        raise ValueError(f"cluster id {cluster_id!r}: use lowercase letters, digits and underscores, a letter first")
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise FileExistsError(f"{directory}: already there and not empty; nothing was written. Choose a new folder.")
    book = json.loads((Path(root) / "data" / DESCRIPTOR).read_text(encoding="utf-8"))
    headers = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in book["resources"]}
    known_clusters = ", ".join(
        row["cluster_id"] for row in csv.DictReader(io.StringIO((Path(root) / "data" / "clusters.csv").read_text()))
    )
    staging = None
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        # Written beside it first, then renamed into place: a full or read-only disk leaves nothing half-made.
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}-starter-", dir=directory.parent))
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)  # a folder as any the reader makes, not mkdtemp's private one
        _write_starter(staging, cluster_id, headers, known_clusters, today)
        if directory.is_dir():
            directory.rmdir()  # empty (checked above): the reader's chosen folder, now filled in one step
        staging.rename(directory)
    except OSError as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise OSError(
            f"{directory}: the starter could not be written ({exc.strerror or exc}); nothing was left behind"
        ) from None
    written = sorted(directory.iterdir())
    return written


def _write_starter(directory: Path, cluster_id: str, headers: dict, known_clusters: str, today) -> None:
    """The starter's files, written into ``directory``."""
    for name, example in examples(cluster_id).items():
        columns = headers[name]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        row = io.StringIO()
        csv.writer(row, lineterminator="\n").writerow([example.get(c, "") for c in columns])
        out.write("# " + row.getvalue())
        path = directory / f"{name}.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
    descriptor = {
        "name": cluster_id.replace("_", "-"),
        "title": f"{cluster_id}: an innovation infrastructure cluster {TITLE_PLACEHOLDER}",
        "description": (
            "Rows of one cluster, laid over the tables of the compendium on Huang et al. (2024). "
            f"The book's clusters ({known_clusters}) and its reference tables lie underneath."
        ),
        "contributors": [{"title": NAME_PLACEHOLDER, "role": "author"}],
        "created": (today or date.today()).isoformat(),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        BASE: "book",
        "resources": [{"name": name, "path": f"{name}.csv"} for name in TABLES],
    }
    path = directory / DESCRIPTOR
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    bib = directory / "references.bib"
    bib.write_text(EXAMPLE_BIB, encoding="utf-8")
