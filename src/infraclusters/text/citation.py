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
from .inert import bibtex_url, bibtex_value

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
#: The book's canonical address and DOI: ``url`` and ``doi`` in CITATION.cff, the one place they are written.
#: Empty until the book is published and a release deposited; every citation, RIS and CSL-JSON file, page
#: metadata and .zenodo.json carries them once set.
BOOK_URL = str(_cff().get("url") or "")
BOOK_DOI = str(_cff().get("doi") or "")
PAPER_TEXT = (
    "Huang Qingli, Zhao Ziwei, Wang Can, Wang Weihua (2024). 依托创新基础设施集群培育未来产业的思考 "
    "[Thoughts on fostering industries of the future based on innovation infrastructure clusters]. "
    "Bulletin of the Chinese Academy of Sciences (中国科学院院刊)."
)
PAPER_TITLE_EN = "Thoughts on fostering industries of the future based on innovation infrastructure clusters"


def bib_entry(key: str) -> str:
    """The text of one entry of the package's references.bib, or KeyError."""
    bibliography = PACKAGE_ROOT / "references.bib"
    text = bibliography.read_text(encoding="utf-8")
    match = re.search(r"@\w+\s*\{\s*" + re.escape(key) + r"\s*,.*?\n\}", text, flags=re.S)
    if not match:
        raise KeyError(f"{key!r} is not in {bibliography}")
    return match.group(0)


def bib_fields(key: str) -> dict[str, str]:
    """The fields of one references.bib entry, braces removed (``title``, ``url``, ``date``, ``urldate``…)."""
    fields = {}
    for name, value in re.findall(r"^\s*(\w+)\s*=\s*\{(.*)\},?\s*$", bib_entry(key), flags=re.M):
        fields[name.lower()] = re.sub(r"[{}]", "", value).strip()
    return fields


_PAPER = bib_fields(PAPER_KEY)
#: The paper's authors in the byline's order, (family, given), and its Chinese title, as references.bib has them.
PAPER_AUTHORS = tuple(tuple(part.strip() for part in a.split(",")) for a in _PAPER["author"].split(" and "))
PAPER_TITLE_ZH = re.search(r"Chinese title: ([^.]+)\.", _PAPER["note"]).group(1)
#: The paper as GB/T 7714-2015 cites it: three authors in characters (``author_zh``), then 等; the journal's
#: volume, issue and pages are not known to this book (see references.bib).
PAPER_TEXT_ZH = (
    ", ".join(_PAPER["author_zh"].split(" and ")[:3]) + f", 等. {PAPER_TITLE_ZH}[J]. 中国科学院院刊, {_PAPER['year']}."
)


_ENTRY = re.compile(r"(?m)^@")
_DATE_LINE = re.compile(r"(?m)^(?P<indent>[ \t]*)date\s*=\s*[{\"](?P<year>\d{4})[^\n]*\n")
_YEAR_LINE = re.compile(r"(?mi)^[ \t]*year\s*=")


def with_years(bib: str) -> str:
    """BibTeX text in which an entry dated (``date = {2022-12-08}``) but given no ``year`` gets the year of its
    date: author–year citations read ``year`` alone and would call a dated page "n.d."."""

    def dated(entry: str) -> str:
        found = _DATE_LINE.search(entry)
        if not found or _YEAR_LINE.search(entry):
            return entry
        line = f"{found['indent']}year = {{{found['year']}}},\n"
        return entry[: found.end()] + line + entry[found.end() :]

    parts = _ENTRY.split(bib)
    return parts[0] + "".join("@" + dated(part) for part in parts[1:])


def book_title(ed: Edition) -> str:
    """The book's title (from CITATION.cff) in the edition's language."""
    return ed.t(BOOK_TITLE)


def book_locator() -> str:
    """Where a reader looks the book up: its DOI as an address when minted, else its canonical address, else ""."""
    return f"https://doi.org/{BOOK_DOI}" if BOOK_DOI else BOOK_URL


def site_url(path: str, ed: Edition) -> str:
    """The address of ``path`` (``chapters/factcheck.html#fc-01``) in the edition's published site, or "" while
    the book has none (the Chinese edition is published in ``zh_CN/``)."""
    if not BOOK_URL:
        return ""
    return BOOK_URL.rstrip("/") + ("/zh_CN" if ed.is_chinese else "") + f"/{path}"


def figure_url(figure_id: str, ed: Edition) -> str:
    """The figure's stable address on the published site (``figures/<id>.html``), or "" while the book has none."""
    return site_url(f"figures/{figure_id.split('@')[0]}.html", ed)


def paper_text(ed: Edition) -> str:
    """The paper as the edition's readers cite it: GB/T 7714 in Chinese."""
    return PAPER_TEXT_ZH if ed.is_chinese else PAPER_TEXT


def book_text(ed: Edition) -> str:
    """The book's citation; in Chinese as GB/T 7714-2015 cites an electronic resource ([EB/OL] once it has an
    address). The version's date stands where a reader's access date would: the files are the same for every
    reader of a version."""
    where = book_locator()
    if ed.is_chinese:
        kind = "EB/OL" if where else "EB"
        return f"{BOOK_AUTHOR}. {book_title(ed)}（中文版）[{kind}]. 版本 {BOOK_VERSION}. ({BOOK_DATE})" + (
            f". {where}." if where else "."
        )
    return f"{BOOK_AUTHOR} ({BOOK_YEAR}). {BOOK_TITLE}. Version {BOOK_VERSION} ({BOOK_DATE})." + (
        f" {where}." if where else ""
    )


def protected_title(text: str) -> str:
    """A title for BibTeX that styles print as written (no "Et Al.", no lower-cased proper names)."""
    return "{" + bibtex_value(text) + "}"


def book_bibtex() -> str:
    """The book's entry: ``@misc`` (a self-published compendium has no publisher, which ``@book`` requires)."""
    fields = [
        ("title", protected_title(BOOK_TITLE)),
        ("author", "{" + bibtex_value(BOOK_AUTHOR) + "}"),
        ("year", str(BOOK_YEAR)),
        ("date", BOOK_DATE),
        ("version", bibtex_value(BOOK_VERSION)),
        ("howpublished", bibtex_value(f"Executable research compendium (Jupyter Book), version {BOOK_VERSION}")),
    ]
    fields += [("url", bibtex_url(BOOK_URL))] if bibtex_url(BOOK_URL) else []
    fields += [("doi", bibtex_value(BOOK_DOI))] if BOOK_DOI else []
    return "@misc{infraclusters_book,\n" + ",\n".join(f"  {k} = {{{v}}}" for k, v in fields) + "\n}"


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


def figure_label(number: str | None, ed: Edition) -> str:
    """ "Figure 2.1" / "图 2.1": the figure's number in the book, or "" for a figure outside it (a reader's)."""
    if not number:
        return ""
    return f"图 {number}" if ed.is_chinese else f"Figure {number}"


def figure_text(
    figure_id: str,
    title: str,
    ed: Edition,
    dataset: Dataset | None = None,
    number: str | None = None,
    beside_book: bool = False,
) -> str:
    """Plain-text citation of one figure: the figure (its number in the book and its versioned id), the book, the
    paper; first the reader's data, if theirs, and (``beside_book``: a figure of the book drawn with a reader's
    rows beside its own) the book's rows with their sources. In Chinese, GB/T 7714-2015's form for a part of an
    electronic resource (``[EB/OL]//…``)."""
    where = figure_url(figure_id, ed)
    if dataset is not None:
        if ed.is_chinese:
            book_rows = "以及本书自有的数据行（各行注明来源：论文或公开页面）。" if beside_book else ""
            return (
                f"{title}［图 {figure_id}］。数据：{dataset.text(ed)}{book_rows} 绘制工具：{book_text(ed)} "
                f"方法：{paper_text(ed)}"
            )
        book_rows = (
            " With the book's own rows, each naming its source (the paper or a public page)." if beside_book else ""
        )
        return (
            f"{title} [figure {figure_id}]. Data: {dataset.text(ed)}{book_rows} Drawn with: {book_text(ed)} "
            f"Method: {PAPER_TEXT}"
        )
    label = figure_label(number, ed)
    if ed.is_chinese:
        kind = "EB/OL" if where else "EB"
        return (
            f"{BOOK_AUTHOR}. {(label + ' ') if label else ''}{title}［图 {figure_id}］[{kind}]//{book_text(ed)}"
            + (f" 图的地址：{where}." if where else "")
            + f" 所复现论文：{PAPER_TEXT_ZH}"
        )
    return (
        f"{title}{', ' + label if label else ''} [figure {figure_id}]. In: {book_text(ed)}"
        + (f" Figure at {where}." if where else "")
        + f" Reproducing: {PAPER_TEXT}"
    )


def figure_bibtex(
    figure_id: str, title: str, ed: Edition, dataset: Dataset | None = None, number: str | None = None
) -> str:
    """BibTeX for one figure, followed by the book's and the paper's entries.

    The title may hold a reader's data (a cluster's name) and the edition's
    book title a translation: each value is escaped (:func:`.inert.bibtex_value`)
    so it can neither close its field nor run a TeX command. The paper is
    named in words, not with ``\\cite`` (which no style resolves inside a note).
    """
    key = "infraclusters_" + re.sub(r"[^A-Za-z0-9]", "_", figure_id)
    label = figure_label(number, ed)
    if ed.is_chinese:
        howpublished = f"{book_title(ed)}（中文版）{label or '图'}（{figure_id}），版本 {BOOK_VERSION}"
        note = "复现黄庆丽、赵紫薇、王灿、汪卫华（2024）《中国科学院院刊》论文的论证与数据"
        key += "_zh"
    else:
        howpublished = f"{label or 'Figure'} ({figure_id}) in: {BOOK_TITLE}, version {BOOK_VERSION}"
        note = (
            "Reproduces the argument and data of Huang, Zhao, Wang and Wang (2024), "
            "Bulletin of the Chinese Academy of Sciences"
        )
    author, year = "{" + bibtex_value(BOOK_AUTHOR) + "}", str(BOOK_YEAR)
    if dataset is not None:  # the reader's figure: their data first, the book and the paper as the method
        author = " and ".join("{" + bibtex_value(a) + "}" for a in dataset.authors) or "{Unnamed}"
        year = bibtex_value(dataset.year)
        howpublished = (
            f"Figure {figure_id}, from the dataset “{dataset.title}” (licence {dataset.licence}), "
            f"drawn with {BOOK_TITLE}, version {BOOK_VERSION}"
        )
        note = "Method: Huang, Zhao, Wang and Wang (2024), as implemented in infraclusters"
    fields = [
        ("title", protected_title(title)),
        ("author", author),
        ("year", year),
        ("howpublished", bibtex_value(howpublished)),
        ("note", bibtex_value(note)),
    ]
    where = figure_url(figure_id, ed)
    fields += [("url", bibtex_url(where))] if bibtex_url(where) else []
    fields += [("doi", bibtex_value(BOOK_DOI))] if BOOK_DOI else []
    fields += [("language", "chinese" if ed.is_chinese else "english"), ("crossref", "infraclusters_book")]
    entry = f"@misc{{{key},\n" + ",\n".join(f"  {k} = {{{v}}}" for k, v in fields) + "\n}"
    return "\n\n".join([entry, book_bibtex(), bib_entry(PAPER_KEY)]) + "\n"


def _csl_date(date: str) -> dict:
    return {"date-parts": [[int(part) for part in date.split("-") if part.isdigit()]]}


def figure_csl(
    figure_id: str, title: str, ed: Edition, dataset: Dataset | None = None, number: str | None = None
) -> str:
    """CSL-JSON (what Zotero, Mendeley, pandoc and citeproc read): the figure, the book and the paper."""
    import json

    language = "zh-CN" if ed.is_chinese else "en-GB"
    where = figure_url(figure_id, ed)
    authors = (
        [{"literal": a} for a in dataset.authors]
        if dataset is not None and dataset.authors
        else [{"literal": BOOK_AUTHOR}]
    )
    figure = {
        "id": figure_id,
        "type": "figure",
        "title": title,
        "author": authors,
        "issued": _csl_date(dataset.created if dataset is not None and dataset.created else BOOK_DATE),
        "container-title": f"{book_title(ed)}（中文版）" if ed.is_chinese else BOOK_TITLE,
        "version": BOOK_VERSION,
        "language": language,
        "note": f"{figure_id}" + (f"; {figure_label(number, ed)}" if number else ""),
    }
    figure |= {"number": number} if number else {}
    figure |= {"URL": where} if where else {}
    figure |= {"DOI": BOOK_DOI} if BOOK_DOI else {}
    book = {
        "id": "infraclusters_book",
        "type": "software",
        "title": BOOK_TITLE,
        "author": [{"literal": BOOK_AUTHOR}],
        "issued": _csl_date(BOOK_DATE),
        "version": BOOK_VERSION,
        "genre": "Executable research compendium (Jupyter Book)",
    }
    book |= {"URL": BOOK_URL} if BOOK_URL else {}
    book |= {"DOI": BOOK_DOI} if BOOK_DOI else {}
    paper = {
        "id": PAPER_KEY,
        "type": "article-journal",
        "title": PAPER_TITLE_ZH,
        "original-title": PAPER_TITLE_ZH,
        "title-short": PAPER_TITLE_EN,
        "author": [{"family": family, "given": given} for family, given in PAPER_AUTHORS],
        "container-title": "中国科学院院刊 (Bulletin of the Chinese Academy of Sciences)",
        "issued": {"date-parts": [[2024]]},
        "language": "zh-CN",
    }
    return json.dumps([figure, book, paper], ensure_ascii=False, indent=2) + "\n"


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(str(value).split())}"


def figure_ris(
    figure_id: str, title: str, ed: Edition, dataset: Dataset | None = None, number: str | None = None
) -> str:
    """RIS (EndNote, Zotero, Citavi): the figure as a ``FIGURE`` record, then the paper it reproduces (``JOUR``)."""
    where = figure_url(figure_id, ed)
    authors = dataset.authors if dataset is not None and dataset.authors else (BOOK_AUTHOR,)
    date = dataset.created if dataset is not None and dataset.created else BOOK_DATE
    lines = ["TY  - FIGURE", _ris_line("TI", title)]
    lines += [_ris_line("AU", a) for a in authors]
    lines += [
        _ris_line("PY", date[:4]),
        _ris_line("DA", date.replace("-", "/")),
        _ris_line("T2", f"{book_title(ed)}（中文版）" if ed.is_chinese else BOOK_TITLE),
        _ris_line("ET", BOOK_VERSION),
        _ris_line("LA", "zh-CN" if ed.is_chinese else "en-GB"),
        _ris_line("ID", figure_id),
        _ris_line("N1", figure_text(figure_id, title, ed, dataset, number)),
    ]
    lines += [_ris_line("SE", figure_label(number, ed))] if number else []
    lines += [_ris_line("UR", where)] if where else []
    lines += [_ris_line("DO", BOOK_DOI)] if BOOK_DOI else []
    lines += ["ER  - ", ""]
    paper = ["TY  - JOUR", _ris_line("TI", PAPER_TITLE_ZH), _ris_line("TT", PAPER_TITLE_EN)]
    paper += [_ris_line("AU", f"{family}, {given}") for family, given in PAPER_AUTHORS]
    paper += [_ris_line("JO", "中国科学院院刊"), _ris_line("J2", "Bulletin of the Chinese Academy of Sciences")]
    paper += [_ris_line("PY", "2024"), _ris_line("LA", "zh-CN"), _ris_line("ID", PAPER_KEY), "ER  - ", ""]
    return "\r\n".join(lines + paper)
