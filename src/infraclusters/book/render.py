"""Render a page outside the book: a cluster's case page (``case CLUSTER``) or the comparison (``compare``).

The page is the case template with the cluster filled in. papermill executes
it with the cluster as its parameter; then a one-page Jupyter Book, built with
the book's own configuration but execution off, turns the executed notebook
into an HTML page that reads offline, with the cluster's figure downloads.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ..children import die_with_parent
from ..edition import Edition
from ..figures import FIGURES  # noqa: F401 - registers the figures
from ..handover import PACKAGE_ROOT, Handover
from ..model import Compendium
from ..text import case_page
from ..text.citation import with_years
from .editions import language_settings
from .i18n_patches import CASE_TEMPLATE
from .outputs import check_ours, exclusive, execute, move_into_place, new_staging
from .pages import TEMPLATE


def render(
    cluster_id: str, out_dir, data_dir, language: str | None = None, root: Path = PACKAGE_ROOT
) -> dict[str, Path]:
    """Execute and build the page of ``cluster_id`` from ``data_dir``; returns the paths of what was written.

    ``language="zh_CN"`` renders it in Chinese: the template's prose from the
    book's translations, the header, tables and figures in Chinese.
    """
    ed = Edition(language, root=root)
    c = Compendium.open(data_dir, root)
    cluster = c.cluster(cluster_id)  # unknown cluster: UnknownClusterError, listing the known ones
    page = case_page.page_source(cluster, (root / TEMPLATE).read_text(encoding="utf-8"), ed)
    title = f"案例页：{cluster_id}" if ed.is_chinese else f"Case page: {cluster_id}"
    return _render_page(
        cluster_id,
        page,
        {"cluster": cluster_id},
        out_dir,
        c,
        ed,
        root,
        f"fig-case-{cluster.slug}-",
        CASE_TEMPLATE,
        title,
    )


#: The comparison chapter, rendered for a reader's data by ``compare``.
COMPARISON = "chapters/comparison.md"


def compare(out_dir, data_dir, language: str | None = None, root: Path = PACKAGE_ROOT) -> dict[str, Path]:
    """Execute and build the comparison chapter over ``data_dir``: the reader's clusters beside the book's three."""
    ed = Edition(language, root=root)
    c = Compendium.open(data_dir, root)
    page = (root / COMPARISON).read_text(encoding="utf-8")
    heading = next(line for line in page.splitlines() if line.startswith("# "))
    own = ed.join(ed.name(c.clusters.set_index("cluster_id").loc[c.own_cluster_ids].reset_index())) or "—"
    if ed.is_chinese:
        retitled = "# 各科学城对比：本书的三个与您的集群"
        caveat = (
            f"```{{note}}\n本页由读者的数据生成，在本书的三个科学城之外加入了：{own}。各集群的清单出自不同的整理工作："
            "本书的三个依据论文和公开网页整理，您的集群依据您自己的来源。数量上的差异可能只是整理工作量的差异。\n```"
        )
    else:
        retitled = "# The science cities compared: the book's three and yours"
        caveat = (
            f"```{{note}}\nThis page is drawn from a reader's data: beside the book's three science cities it "
            f"adds {own}. The inventories come from different efforts, the book's three from the paper and "
            "public pages, yours from your own sources: a difference in counts may be a difference in effort.\n```"
        )
    page = page.replace(heading, f"{retitled}\n\n{caveat}", 1)
    title = "科学城对比" if ed.is_chinese else "Science cities compared"
    return _render_page("comparison", page, {}, out_dir, c, ed, root, "fig-compare-", "chapters/comparison", title)


def _render_page(
    name: str, page: str, parameters: dict, out_dir, c, ed: Edition, root: Path, figures: str, domain: str, title: str
) -> dict[str, Path]:
    """Execute one MyST page with papermill, build it as a one-page book, and move it into ``out_dir``."""
    out = Path(out_dir).resolve()
    # "book" was the build folder of earlier versions: still ``case``'s own, so it is removed, never refused
    names = ("book", "html", "figures", f"{name}.ipynb")
    check_ours(out, names, whole_folder=True)  # before any work: a reader's own files stop it, untouched
    with exclusive(out, f"case {name}" if name != "comparison" else "compare"):
        staging = new_staging(out)  # this run's own: everything is made here, then moved into place at the end
        try:
            _make_page(staging, name, page, parameters, c, ed, root, figures, domain, title)
            move_into_place(staging, out, names)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    source = out / f"{name}.ipynb"
    return {"notebook": source, "page": out / "html" / f"{name}.html", "figures": out / "figures"}


def _make_page(
    staging: Path,
    name: str,
    page: str,
    parameters: dict,
    c,
    ed: Edition,
    root: Path,
    figures: str,
    domain: str,
    title: str,
) -> None:
    """Execute the page and build it as a one-page book inside ``staging``: the notebook, ``html/``, ``figures/``."""
    import jupytext
    import yaml

    book = staging / "book"
    book.mkdir(parents=True)

    source = book / f"{name}.ipynb"
    jupytext.write(jupytext.reads(page, fmt="md:myst"), source)
    # The kernel learns the data, the edition and that its HTML relies on the site's offline Vega bundle.
    handover = Handover(root=str(root), data_dir=str(c.data_dir), language=ed.language, offline_html=True)
    execute(source, {**parameters, "data_dir": str(c.data_dir)}, book, handover)

    add_reference_list(source, ed)
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config["sphinx"]["config"]["infraclusters_edition_links"] = False  # no other edition beside this page
    # The page links the book's glossary, claims ledger and other chapters' figures, which a page alone does
    # not have: those links stay as text.
    config["sphinx"]["config"]["suppress_warnings"] = ["ref.term", "ref.ref", "ref.numref", "ref.doc"]
    config["execute"]["execute_notebooks"] = "off"
    config["title"] = title  # never free text: the theme prints the title unescaped
    config["sphinx"]["config"]["infraclusters_data_dir"] = str(c.data_dir)
    config["sphinx"]["config"]["infraclusters_figures"] = figures  # this page's figures only, not the book's
    if ed.is_chinese:
        config["sphinx"]["config"].update(
            # the page's prose is translated from its chapter's catalogue
            language=ed.language,
            locale_dirs=[str(root / "locales")],
            gettext_compact=domain,
            **language_settings(ed),  # 图 1 and the code toggles, as the Chinese edition has them
        )
    # The book's bibliography and the reader's, side by side (never merged into one file: a key defined
    # in both is a mistake that validation names, file by file).
    shutil.copy2(root / "references.bib", book / "references.bib")
    readers_bib = c.data_dir / "references.bib"
    if readers_bib.is_symlink():  # a link could hand over any file of the machine; validation names it too
        raise FileNotFoundError(f"{readers_bib}: a link, not a plain file: the page would copy what it points at")
    if readers_bib.is_file():
        # a page dated but given no year would be cited "n.d.": the copy gets the year of its date
        (book / "reader.bib").write_text(with_years(readers_bib.read_text(encoding="utf-8")), encoding="utf-8")
        config["bibtex_bibfiles"] = ["references.bib", "reader.bib"]
    (book / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (book / "_toc.yml").write_text(f"format: jb-book\nroot: {name}\n", encoding="utf-8")
    jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))
    subprocess.run(
        [jupyter_book, "build", str(book)], cwd=book, check=True, stdout=subprocess.DEVNULL, preexec_fn=die_with_parent
    )

    shutil.copytree(book / "_build" / "html", staging / "html")
    (staging / "figures").mkdir()
    for exported in sorted((staging / "html" / "figures").glob(f"{figures}*")):
        shutil.copy2(exported, staging / "figures" / exported.name)
    shutil.copy2(source, staging / source.name)
    # The one-page book it was built in is scaffolding (the book's sources, a build cache, the data folder's
    # path in its configuration): the reader gets the page, its figures and its notebook, not the scaffolding.
    shutil.rmtree(book)


def add_reference_list(notebook: Path, ed: Edition) -> None:
    """End the executed page with the list of the works it cites (a page alone has no bibliography page),
    and leave the reader's local path out of the parameters it shows."""
    import nbformat

    book = nbformat.read(notebook, as_version=4)
    for cell in book.cells:  # the page shows no local path: the data directory is named, not located
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = "\n".join(
                f'data_dir = "…"  # {ed.t("your data directory")}' if line.startswith("data_dir") else line
                for line in cell.source.splitlines()
            )
    papermill = book.metadata.get("papermill", {})
    for key in ("input_path", "output_path"):  # where the run happened: a path of this computer
        if papermill.get(key):
            papermill[key] = Path(papermill[key]).name
    if "data_dir" in papermill.get("parameters", {}):
        papermill["parameters"]["data_dir"] = "…"
    heading = "参考文献" if ed.is_chinese else "References"
    book.cells.append(
        nbformat.v4.new_markdown_cell(f"## {heading}\n\n```{{bibliography}}\n:filter: docname in docnames\n```\n")
    )
    nbformat.write(book, notebook)
