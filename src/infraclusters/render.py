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

from . import cases, charts, data, i18n, paths


def render(cluster: str, out_dir, data_dir=None, language: str | None = None) -> dict[str, Path]:
    """Execute and build the page of ``cluster``; returns the paths of what was written.

    ``language="zh_CN"`` renders it in Chinese: the template's prose from the
    book's translations, the header, tables and figures in Chinese.
    """
    import jupytext
    import papermill
    import yaml

    language = i18n.language(language)
    directory = paths.data_dir(data_dir)
    data.validate(directory)
    cases.cluster_row(cluster, directory)  # unknown cluster: UnknownClusterError, listing the known ones
    out = Path(out_dir).resolve()
    book = out / "book"
    shutil.rmtree(book, ignore_errors=True)
    book.mkdir(parents=True)

    root = paths.root()
    source = book / f"{cluster}.ipynb"
    page = cases.page_source(cluster, directory, root, language)
    jupytext.write(jupytext.reads(page, fmt="md:myst"), source)
    os.environ[charts.BOOK_BUILD_ENV] = "1"  # the kernel emits HTML for the site's offline Vega bundle
    os.environ[i18n.LANGUAGE_ENV] = language
    os.environ[paths.DATA_ENV] = str(directory)
    papermill.execute_notebook(
        str(source),
        str(source),
        parameters={"cluster": cluster, "data_dir": str(directory)},
        cwd=str(book),
        kernel_name="python3",
        progress_bar=False,
    )

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "off"
    config["title"] = f"Case page: {cluster}"  # the id, never free text: the theme prints the title unescaped
    if language == i18n.CHINESE:
        config["title"] = f"案例页：{cluster}"
        config["sphinx"]["config"].update(
            # the page is the case template: its prose is translated from the template's catalogue
            language=language,
            locale_dirs=[str(root / "locales")],
            gettext_compact=cases.TEMPLATE.rsplit(".", 1)[0],
        )
    (book / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (book / "_toc.yml").write_text(f"format: jb-book\nroot: {cluster}\n", encoding="utf-8")
    bibliography = (root / "references.bib").read_text(encoding="utf-8")
    if (directory / "references.bib").is_file():
        bibliography += "\n" + (directory / "references.bib").read_text(encoding="utf-8")
    (book / "references.bib").write_text(bibliography, encoding="utf-8")
    environment = {**os.environ, paths.ROOT_ENV: str(book)}
    jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))
    subprocess.run([jupyter_book, "build", str(book)], cwd=book, env=environment, check=True, stdout=subprocess.DEVNULL)

    site = out / "html"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(book / "_build" / "html", site)
    figures_dir = out / "figures"
    shutil.rmtree(figures_dir, ignore_errors=True)
    figures_dir.mkdir()
    for exported in sorted((site / "figures").glob(f"fig-case-{cases.slug(cluster)}-*")):
        shutil.copy2(exported, figures_dir / exported.name)
    shutil.copy2(source, out / source.name)
    return {"notebook": out / source.name, "page": site / f"{cluster}.html", "figures": figures_dir}
