"""The edition: every language choice of the book, in one object.

The book has an English edition and a Simplified Chinese one, made from the
same chapters, data and package. Sphinx translates the chapters' prose from
the gettext catalogues in ``locales/zh_CN/LC_MESSAGES/chapters/``; everything
the package itself writes (chart titles, axis labels, legends, tooltips,
captions, alt text, generated tables) is translated by an :class:`Edition`,
from ``locales/zh_CN/LC_MESSAGES/infraclusters.po`` (strings in the code, marked
``_()`` or ``N_()``) and ``infraclusters-data.po`` (the free-text columns of the
data tables that have no ``_zh`` twin, listed in :data:`DATA_TEXT`).

Figures and text functions take the edition explicitly (``ed``); the model
never sees one. A string without a translation falls back to its English text;
``python -m infraclusters translations --check`` fails on every such string.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from .handover import PACKAGE_ROOT

ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)
#: The catalogues the package reads (Sphinx's own, for the chapters, live beside them).
CODE_DOMAIN = "infraclusters"
DATA_DOMAIN = "infraclusters-data"
#: Free-text columns of the tables written in English only; their values are messages of
#: the data catalogue. Columns with a ``_zh`` twin are not here: the edition picks the twin.
DATA_TEXT = {
    "bridging_counts": ("scope_en", "kind_en"),
    "claims": ("unit", "entity"),
    "clusters": ("coordinate_note",),
    "facilities": ("notes",),
    "glossary": ("definition_en",),
    "fact_checks": ("note", "paper_value", "independent_value", "independent_as_of"),
    "industrialisation_fields": ("notes",),
    "milestones": ("actor_en", "date_label"),
    "organisations": ("notes",),
    "panel_counts": ("scope",),
    "product_forms": ("note_en",),
    "recommendation_links": ("rationale_en",),
    "relations": ("relation", "notes"),
    "roles": ("note_en",),
    "talent_stages": ("note_en",),
    "type_stages": ("note_en",),
}
#: Before a data author's English shown in the Chinese edition because no Chinese was written beside it.
ORIGINAL = "〔原文〕"
_ALIASES = {"zh": CHINESE, "zh-CN": CHINESE, "zh_cn": CHINESE, "en_US": ENGLISH, "en-GB": ENGLISH}


def normalise(language: str | None) -> str:
    """A language as the book names it (``en`` or ``zh_CN``); None is English; others raise ValueError."""
    chosen = _ALIASES.get(language or ENGLISH, language or ENGLISH)
    if chosen not in LANGUAGES:
        raise ValueError(f"unknown language {chosen!r}: the book has editions in {', '.join(LANGUAGES)}")
    return chosen


def twin(field: str) -> str:
    """The column holding a free-text column's Chinese: ``notes`` → ``notes_zh``, ``note_en`` → ``note_zh``."""
    return f"{field[:-3]}_zh" if field.endswith("_en") else f"{field}_zh"


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it here (it is translated where shown)."""
    return message


def locale_dir(root: str | Path | None = None) -> Path:
    """A book's translations; a book without its own (a one-page case book) uses the installed checkout's."""
    here = Path(root or PACKAGE_ROOT) / "locales"
    return here if here.is_dir() else PACKAGE_ROOT / "locales"


@functools.lru_cache(maxsize=8)
def _catalogue(files: tuple, stamp: tuple) -> dict[str, str]:
    from babel.messages.pofile import read_po

    messages: dict[str, str] = {}
    for path in files:
        with open(path, "rb") as handle:
            for message in read_po(handle):
                if message.id and message.string and not message.fuzzy:
                    messages[message.id] = message.string
    return messages


@dataclass(frozen=True)
class Edition:
    """One edition of the book: its language and the package's translations into it.

    ``root`` is the book whose ``locales/`` hold the translations (default: the installed checkout).
    """

    language: str = ENGLISH
    root: str | Path | None = field(default=None, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "language", normalise(self.language))

    @property
    def is_chinese(self) -> bool:
        return self.language == CHINESE

    @property
    def is_english(self) -> bool:
        return self.language == ENGLISH

    # --- translation ------------------------------------------------------------

    def catalogue_path(self, domain: str) -> Path:
        return locale_dir(self.root) / self.language / "LC_MESSAGES" / f"{domain}.po"

    def catalogue(self) -> dict[str, str]:
        """The package's translations into this edition's language (msgid → msgstr), re-read when a file changes."""
        files = tuple(p for p in (self.catalogue_path(d) for d in (CODE_DOMAIN, DATA_DOMAIN)) if p.is_file())
        return _catalogue(files, tuple(p.stat().st_mtime_ns for p in files))

    def t(self, message: str) -> str:
        """``message`` in the edition's language (English text is the message itself)."""
        if self.is_english or not isinstance(message, str) or not message:
            return message
        return self.catalogue().get(message, message)

    def values(self, series):
        """A column of English text in the edition's language (missing values stay missing)."""
        if not self.is_chinese:
            return series
        table = self.catalogue()
        return series.map(lambda value: table.get(value, value) if isinstance(value, str) else value)

    # --- picking and joining ------------------------------------------------------

    def note(self, row, field: str = "notes"):
        """A free-text note of a row: in Chinese its ``_zh`` twin when the row's author wrote one, else the
        translation of the English, else the English marked as the author's original (missing stays missing)."""

        def get(name):
            value = row.get(name) if isinstance(row, dict) else getattr(row, name, None)
            return value if isinstance(value, str) and value.strip() else None

        english = get(field)
        if self.is_chinese:
            return get(twin(field)) or self.translated(english)
        return english

    def notes(self, frame, field: str):
        """:meth:`note` for every row of a frame (a column; a frame without the ``_zh`` twin translates)."""
        import pandas as pd

        if not self.is_chinese:
            return frame[field]
        return pd.Series([self.note(row, field) for row in frame.to_dict("records")], index=frame.index, dtype=object)

    def translated(self, text):
        """English data text in the edition's language: its translation, or in Chinese, where the catalogue has
        none (a data author's own English), the text itself after :data:`ORIGINAL`, so it never passes for
        the book's Chinese."""
        if not self.is_chinese or not isinstance(text, str) or not text.strip():
            return text
        return self.catalogue().get(text) or f"{ORIGINAL}{text}"

    def pick(self, zh, en):
        """The Chinese in the Chinese edition, the English in the English one (strings or columns)."""
        return zh if self.is_chinese else en

    def name(self, row, field: str = "name"):
        """``row[field_zh]`` in the Chinese edition, ``row[field_en]`` in the English one."""
        return row[f"{field}_zh" if self.is_chinese else f"{field}_en"]

    def both(self, zh, en, sep: str = " "):
        """A bilingual label in the English edition ("中文 English"), the Chinese alone in the Chinese one.

        Works on strings and on pandas columns alike.
        """
        return zh if self.is_chinese else zh + sep + en

    @property
    def sep(self) -> str:
        """Between the items of a list in running text."""
        return "；" if self.is_chinese else "; "

    @property
    def none(self) -> str:
        return self.t("none")

    def join(self, items) -> str:
        """Items joined for running text, or "none" for an empty list."""
        return self.sep.join(items) or self.none

    def paper_source(self, source: str) -> str:
        """A source such as "paper §1.2" or "paper intro" in the edition's language (论文§1.2, 论文引言)."""
        if not self.is_chinese:
            return source
        return source.replace("paper intro", "论文引言").replace("paper §", "论文§").replace("paper ", "论文")

    @property
    def numfig_format(self) -> dict[str, str] | None:
        """Sphinx's figure-number words for this edition (None: the configuration's own)."""
        if not self.is_chinese:
            return None
        return {"figure": "图 %s", "table": "表 %s", "code-block": "代码 %s", "section": "第 %s 节"}


def data_messages(c) -> dict[str, list[str]]:
    """Every message of the data catalogue with the ``table.csv:row`` places it occurs."""
    found: dict[str, list[str]] = {}
    for resource in c.descriptor["resources"]:  # the data dictionary: titles, descriptions, values
        place = "data/datapackage.json"
        texts = [resource.get("title"), resource.get("description")]
        for spec in resource["schema"]["fields"]:
            texts.append(spec.get("description"))
            enum = spec.get("constraints", {}).get("enum") or []
            texts += [value for value in enum if isinstance(value, str)]
        for text in texts:
            if isinstance(text, str) and text.strip():
                found.setdefault(text, []).append(f"{place}:1")
    for table, columns in DATA_TEXT.items():
        frame = c.table(table)
        for position, record in enumerate(frame.to_dict("records"), start=2):
            for column in columns:
                value = record.get(column)
                if isinstance(value, str) and value.strip():
                    found.setdefault(value, []).append(f"data/{table}.csv:{position}")
    return found
