"""The case pages: one page per cluster, written from the case template before Sphinx reads the table of contents."""

from __future__ import annotations

from pathlib import Path

from ..edition import Edition
from ..figures import CASES_DIR, case_page_name
from ..text import case_page

TEMPLATE = "chapters/case_template.md"


def write_pages(c, root: Path, ed: Edition | None = None) -> list[Path]:
    """(Re)write ``chapters/cases/NN_<cluster>.md`` of the book in ``root`` for every cluster of ``c``.

    Pages of removed clusters are removed. A page is rewritten only when its
    text changes, so an unchanged cluster is neither re-read by Sphinx nor
    re-executed.
    """
    ed = ed or Edition()
    target = Path(root) / CASES_DIR
    target.mkdir(parents=True, exist_ok=True)
    template = (Path(root) / TEMPLATE).read_text(encoding="utf-8")
    written = []
    for cluster_id in c.cluster_ids:
        cluster = c.cluster(cluster_id)
        path = target / f"{case_page_name(cluster.position, cluster_id)}.md"
        text = case_page.page_source(cluster, template, ed)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    for stale in set(target.glob("*.md")) - set(written):
        stale.unlink()
    return written
