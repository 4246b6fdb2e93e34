"""How to cite this book, its figures, and the paper it reproduces.

The book's own title, authors, version and date are read from
``CITATION.cff`` and the paper's entry from ``references.bib`` (key
``huang2024``), so each is written down once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..edition import Edition
from ..handover import PACKAGE_ROOT
from .inert import bibtex_value

PAPER_KEY = "huang2024"


@lru_cache(maxsize=1)
def _cff() -> dict:
    import yaml

    return yaml.safe_load((PACKAGE_ROOT / "CITATION.cff").read_text(encoding="utf-8"))


BOOK_TITLE = _cff()["title"]
BOOK_AUTHOR = _cff()["authors"][0]["name"]
BOOK_VERSION = str(_cff()["version"])
BOOK_YEAR = int(str(_cff()["date-released"])[:4])
BOOK_DATE = str(_cff()["date-released"])
PAPER_TEXT = (
    "Huang Qingli, Zhao Ziwei, Wang Can, Wang Weihua (2024). 依托创新基础设施集群培育未来产业的思考 "
    "[Thoughts on fostering industries of the future based on innovation infrastructure clusters]. "
    "Bulletin of the Chinese Academy of Sciences (中国科学院院刊)."
)


def bib_entry(key: str) -> str:
    """The text of one entry of the package's references.bib, or KeyError."""
    bibliography = PACKAGE_ROOT / "references.bib"
    text = bibliography.read_text(encoding="utf-8")
    match = re.search(r"@\w+\s*\{\s*" + re.escape(key) + r"\s*,.*?\n\}", text, flags=re.S)
    if not match:
        raise KeyError(f"{key!r} is not in {bibliography}")
    return match.group(0)


def book_title(ed: Edition) -> str:
    """The book's title (from CITATION.cff) in the edition's language."""
    return ed.t(BOOK_TITLE)


def book_text(ed: Edition) -> str:
    if ed.is_chinese:
        return f"{BOOK_AUTHOR}（{BOOK_YEAR}）。{book_title(ed)}（中文版）。版本 {BOOK_VERSION}。"
    return f"{BOOK_AUTHOR} ({BOOK_YEAR}). {BOOK_TITLE}. Version {BOOK_VERSION}."


def book_bibtex() -> str:
    return (
        "@book{infraclusters_book,\n"
        f"  title = {{{bibtex_value(BOOK_TITLE)}}},\n"
        f"  author = {{{{{bibtex_value(BOOK_AUTHOR)}}}}},\n"
        f"  year = {{{BOOK_YEAR}}},\n"
        f"  version = {{{bibtex_value(BOOK_VERSION)}}}\n"
        "}"
    )


@dataclass(frozen=True)
class Dataset:
    """A reader's dataset, as its descriptor names it (Frictionless: title, contributors, created, licenses)."""

    title: str
    authors: tuple[str, ...]
    created: str
    licence: str
    name: str

    @property
    def year(self) -> str:
        return self.created[:4] if self.created else "n.d."

    def text(self, ed: Edition) -> str:
        authors = ed.join(self.authors) if self.authors else ed.t("unnamed authors")
        if ed.is_chinese:
            return f"{authors}（{self.year}）。{self.title}。数据集，许可：{self.licence}。"
        return f"{authors} ({self.year}). {self.title}. Dataset, licence {self.licence}."


def dataset_of(c) -> Dataset | None:
    """The reader's dataset of a compendium laid over the book's tables (``None`` for the book's own data)."""
    if not getattr(c, "is_layered", False):
        return None
    descriptor = c.dataset
    people = descriptor.get("contributors") or []
    authors = tuple(str(p.get("title") or p.get("name") or "").strip() for p in people if isinstance(p, dict))
    licences = descriptor.get("licenses") or []
    licence = ", ".join(
        str(entry.get("name") or entry.get("title") or "") for entry in licences if isinstance(entry, dict)
    )
    return Dataset(
        title=str(descriptor.get("title") or descriptor.get("name") or "untitled dataset"),
        authors=tuple(a for a in authors if a),
        created=str(descriptor.get("created") or ""),
        licence=licence or "not stated",
        name=str(descriptor.get("name") or "dataset"),
    )


def figure_text(figure_id: str, title: str, ed: Edition, dataset: Dataset | None = None) -> str:
    """Plain-text citation of one figure: the figure, the book, the paper (and first the reader's data, if theirs)."""
    if dataset is not None:
        if ed.is_chinese:
            return f"{title}［图 {figure_id}］。数据：{dataset.text(ed)} 绘制工具：{book_text(ed)} 方法：{PAPER_TEXT}"
        return (
            f"{title} [figure {figure_id}]. Data: {dataset.text(ed)} Drawn with: {book_text(ed)} Method: {PAPER_TEXT}"
        )
    if ed.is_chinese:
        return f"{title}［图 {figure_id}］。见：{book_text(ed)} 所复现论文：{PAPER_TEXT}"
    return f"{title} [figure {figure_id}]. In: {book_text(ed)} Reproducing: {PAPER_TEXT}"


def figure_bibtex(figure_id: str, title: str, ed: Edition, dataset: Dataset | None = None) -> str:
    """BibTeX for one figure, followed by the book's and the paper's entries.

    The title may hold a reader's data (a cluster's name) and the edition's
    book title a translation: each value is escaped (:func:`.inert.bibtex_value`)
    so it can neither close its field nor run a TeX command.
    """
    key = "infraclusters_" + re.sub(r"[^A-Za-z0-9]", "_", figure_id)
    if ed.is_chinese:
        howpublished = bibtex_value(f"{book_title(ed)}（中文版）图 {figure_id}，版本 {BOOK_VERSION}")
        note = f"复现 \\cite{{{PAPER_KEY}}} 的论证与数据"
        key += "_zh"
    else:
        howpublished = bibtex_value(f"Figure {figure_id} in: {BOOK_TITLE}, version {BOOK_VERSION}")
        note = f"Reproduces the argument and data of \\cite{{{PAPER_KEY}}}"
    author, year = f"{{{bibtex_value(BOOK_AUTHOR)}}}", str(BOOK_YEAR)
    if dataset is not None:  # the reader's figure: their data first, the book and the paper as the method
        author = " and ".join(f"{{{bibtex_value(a)}}}" for a in dataset.authors) or "{Unnamed}"
        year = bibtex_value(dataset.year)
        howpublished = bibtex_value(
            f"Figure {figure_id}, from the dataset “{dataset.title}” (licence {dataset.licence}), "
            f"drawn with {BOOK_TITLE}, version {BOOK_VERSION}"
        )
        note = f"Method: \\cite{{{PAPER_KEY}}}, as implemented in \\cite{{infraclusters_book}}"
    entry = (
        f"@misc{{{key},\n"
        f"  title = {{{bibtex_value(title)}}},\n"
        f"  author = {{{author}}},\n"
        f"  year = {{{year}}},\n"
        f"  howpublished = {{{howpublished}}},\n"
        f"  note = {{{note}}},\n"
        "  crossref = {infraclusters_book}\n"
        "}"
    )
    return "\n\n".join([entry, book_bibtex(), bib_entry(PAPER_KEY)]) + "\n"
