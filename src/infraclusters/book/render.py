"""Render one cluster's case page outside the book: ``python -m infraclusters case CLUSTER``.

The page is the case template with the cluster filled in. papermill executes
it with the cluster as its parameter; then a one-page Jupyter Book, built with
the book's own configuration but execution off, turns the executed notebook
into an HTML page that reads offline, with the cluster's figure downloads.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..edition import Edition
from ..figures import FIGURES  # noqa: F401 - registers the figures
from ..handover import PACKAGE_ROOT, Handover
from ..model import Compendium
from ..text import case_page
from .i18n_patches import CASE_TEMPLATE
from .pages import TEMPLATE


def render(
    cluster_id: str, out_dir, data_dir, language: str | None = None, root: Path = PACKAGE_ROOT
) -> dict[str, Path]:
    """Execute and build the page of ``cluster_id`` from ``data_dir``; returns the paths of what was written.

    ``language="zh_CN"`` renders it in Chinese: the template's prose from the
    book's translations, the header, tables and figures in Chinese.
    """
    import jupytext
    import papermill
    import yaml

    ed = Edition(language, root=root)
    c = Compendium.open(data_dir, root)
    cluster = c.cluster(cluster_id)  # unknown cluster: UnknownClusterError, listing the known ones
    out = Path(out_dir).resolve()
    book = out / "book"
    shutil.rmtree(book, ignore_errors=True)
    book.mkdir(parents=True)

    source = book / f"{cluster_id}.ipynb"
    page = case_page.page_source(cluster, (root / TEMPLATE).read_text(encoding="utf-8"), ed)
    jupytext.write(jupytext.reads(page, fmt="md:myst"), source)
    # The kernel learns the data, the edition and that its HTML relies on the site's offline Vega bundle;
    # papermill's kernel inherits this process's environment.
    handover = Handover(root=str(root), data_dir=str(c.data_dir), language=ed.language, offline_html=True)
    previous = dict(os.environ)
    os.environ.update(handover.environ())
    try:
        papermill.execute_notebook(
            str(source),
            str(source),
            parameters={"cluster": cluster_id, "data_dir": str(c.data_dir)},
            cwd=str(book),
            kernel_name="python3",
            progress_bar=False,
        )
    finally:
        os.environ.clear()
        os.environ.update(previous)

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "off"
    config["title"] = f"Case page: {cluster_id}"  # the id, never free text: the theme prints the title unescaped
    config["sphinx"]["config"]["infraclusters_data_dir"] = str(c.data_dir)
    if ed.is_chinese:
        config["title"] = f"案例页：{cluster_id}"
        config["sphinx"]["config"].update(
            # the page is the case template: its prose is translated from the template's catalogue
            language=ed.language,
            locale_dirs=[str(root / "locales")],
            gettext_compact=CASE_TEMPLATE,
        )
    (book / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (book / "_toc.yml").write_text(f"format: jb-book\nroot: {cluster_id}\n", encoding="utf-8")
    bibliography = (root / "references.bib").read_text(encoding="utf-8")
    if (c.data_dir / "references.bib").is_file():
        bibliography += "\n" + (c.data_dir / "references.bib").read_text(encoding="utf-8")
    (book / "references.bib").write_text(bibliography, encoding="utf-8")
    jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))
    subprocess.run([jupyter_book, "build", str(book)], cwd=book, check=True, stdout=subprocess.DEVNULL)

    site = out / "html"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(book / "_build" / "html", site)
    figures_dir = out / "figures"
    shutil.rmtree(figures_dir, ignore_errors=True)
    figures_dir.mkdir()
    for exported in sorted((site / "figures").glob(f"fig-case-{cluster.slug}-*")):
        shutil.copy2(exported, figures_dir / exported.name)
    shutil.copy2(source, out / source.name)
    return {"notebook": out / source.name, "page": site / f"{cluster_id}.html", "figures": figures_dir}
