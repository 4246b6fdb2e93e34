"""The whole compendium, downloadable from each edition's site: the data package as one zip, the notebooks.

``downloads/infraclusters-data-<version>.zip`` holds the tables, their
``datapackage.json``, ``references.bib``, the licences and a README with the
citation; it is written byte for byte the same for the same data. The
executed notebooks are written by :mod:`.notebooks`. The PDF editions, the
source archive and the built sites are made by ``python -m infraclusters
release`` (they are not part of a site build).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..archives import reproducible_zip
from ..text import citation

FOLDER = "downloads"


def data_zip_name() -> str:
    return f"infraclusters-data-{citation.BOOK_VERSION}.zip"


def readme(data_dir: Path) -> str:
    """The README of the data zip: what it is, its licences, and how to cite it."""
    from ..edition import Edition

    en = Edition("en")
    return "\n".join(
        [
            f"# {citation.BOOK_TITLE}: the data package, version {citation.BOOK_VERSION}",
            "",
            "The tables behind the compendium, one CSV per table, described (columns, types, keys, sources)",
            "by datapackage.json (Frictionless Data). Every row names its source: a section of the paper",
            '("paper §1.3") or a key of references.bib.',
            "",
            "## Licences",
            "",
            "See LICENSE-CONTENT.md: our curation of the data is CC BY 4.0; passages quoted from the paper",
            "(the *_zh quotation columns) remain the authors'; facts from public documents follow each source.",
            "",
            "## How to cite",
            "",
            citation.book_text(en),
            "",
            f"Reproducing: {citation.PAPER_TEXT}",
            "",
            "To check that a figure you cite still matches these tables: python -m infraclusters verify FILE",
            "",
        ]
    )


def readers_readme(dataset) -> str:
    """The README of a reader's data zip: their dataset first, the book and the paper as the method."""
    from ..edition import Edition

    en = Edition("en")
    return "\n".join(
        [
            f"# {dataset.title}: the data package",
            "",
            "The rows of this dataset, one CSV per table in data/, laid over the tables of the compendium",
            "(which lie underneath and are not repeated here). Every row names its source: a key of",
            "references.bib, which holds this dataset's sources only.",
            "",
            "## Licence",
            "",
            f"{dataset.licence}, as the dataset's datapackage.json states.",
            "",
            "## How to cite",
            "",
            dataset.text(en),
            "",
            f"Drawn with: {citation.book_text(en)}",
            "",
            f"Method: {citation.PAPER_TEXT}",
            "",
        ]
    )


def data_zip(data_dir: Path, root: Path, dataset=None) -> bytes:
    """The data package as one zip: tables, descriptor, bibliography, licences, README (fixed dates, sorted).

    ``dataset`` (:func:`..text.citation.dataset_of`) is a reader's: the zip then holds their rows, their
    sources and a README that credits them, not the book's bibliography, licence file or citation.
    """
    files = {f"data/{p.name}": p.read_bytes() for p in sorted(Path(data_dir).glob("*.csv"))}
    files["data/datapackage.json"] = (Path(data_dir) / "datapackage.json").read_bytes()
    if dataset is not None:
        bib = Path(data_dir) / "references.bib"
        if bib.is_file() and not bib.is_symlink():
            files["references.bib"] = bib.read_bytes()
        files["README.md"] = readers_readme(dataset).encode("utf-8")
        # the folder is named from the reader's descriptor: letters, digits, dots and hyphens only, never a path
        folder = re.sub(r"[^a-z0-9.-]+", "-", dataset.name.lower()).strip(".-")[:64] or "dataset"
        return reproducible_zip((f"{folder}-data/{name}", files[name]) for name in sorted(files))
    files["references.bib"] = (Path(root) / "references.bib").read_bytes()
    for name in ("LICENSE-CONTENT.md", "CITATION.cff"):
        if (Path(root) / name).is_file():
            files[name] = (Path(root) / name).read_bytes()
    files["README.md"] = readme(Path(data_dir)).encode("utf-8")
    folder = f"infraclusters-data-{citation.BOOK_VERSION}"
    return reproducible_zip((f"{folder}/{name}", files[name]) for name in sorted(files))


def write(app, exception) -> None:
    """After an HTML build: the data zip in the edition's ``downloads/`` (rewritten only when it changed)."""
    from . import config

    if exception is not None or app.builder.name != "html":
        return
    book = config.from_app(app)
    target = Path(app.outdir) / FOLDER / data_zip_name()
    content = data_zip(book.data_dir, book.root, citation.dataset_of(book.compendium()))
    if not (target.is_file() and target.read_bytes() == content):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def pdf_names(version: str | None = None) -> dict[str, str]:
    """The PDF editions' file names, by language, as a release writes them (and puts them in ``downloads/``)."""
    version = version or citation.BOOK_VERSION
    return {"en": f"infraclusters-{version}.pdf", "zh_CN": f"infraclusters-{version}-zh_CN.pdf"}


def pdf_item(ed, up: str, linked: bool) -> str:
    """The downloads list's line for the PDF editions: links when the site holds them (a release), else how to
    make them (a site built from source has none, and links nothing that is not there)."""
    if not linked:
        return ed.t(
            "**The PDF editions** come with a release (`python -m infraclusters release --out DIR`, which puts "
            "them in this folder of the site), or `python -m infraclusters pdf` prints them from a copy of the source."
        )
    names = pdf_names()
    links = {language: f'<a href="{up}{FOLDER}/{name}" download>{name}</a>' for language, name in names.items()}
    return ed.t("**The PDF editions**, ready to print: {english} (English) · {chinese} (中文).").format(
        english=links["en"], chinese=links["zh_CN"]
    )
