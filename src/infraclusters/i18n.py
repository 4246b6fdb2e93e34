"""Languages: which edition is being made, and the package's own translated strings.

The book has an English edition and a Simplified Chinese one, made from the
same chapters, data and package. Sphinx translates the chapters' prose from
the gettext catalogues in ``locales/zh_CN/LC_MESSAGES/chapters/``; everything
the package itself writes (chart titles, axis labels, legends, tooltips,
captions, alt text, generated tables) is translated here, from
``locales/zh_CN/LC_MESSAGES/infraclusters.po`` (strings in the code, marked
``_()`` or ``N_()``) and ``infraclusters-data.po`` (the free-text columns of the
data tables that have no ``_zh`` twin, listed in :data:`DATA_TEXT`).

The language is an argument (``language="zh_CN"``) of every function that
writes text; left out, it is ``$INFRACLUSTERS_LANGUAGE``, which the book build
sets for the kernels that execute the chapters, else English.

A string without a translation falls back to its English text; the check
``python -m infraclusters translations --check`` (run by the tests) fails on
every such string, and on every stale one, and names them.
"""

from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path

import pandas as pd

from . import paths

LANGUAGE_ENV = "INFRACLUSTERS_LANGUAGE"
ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)
#: The catalogues the package reads (Sphinx's own, for the chapters, live beside them).
CODE_DOMAIN = "infraclusters"
DATA_DOMAIN = "infraclusters-data"
#: Free-text columns of the tables written in English only; their values are messages of
#: the data catalogue. Columns with a ``_zh`` twin are not here: the edition picks the twin.
DATA_TEXT = {
    "claims": ("unit", "entity"),
    "clusters": ("coordinate_note",),
    "facilities": ("notes",),
    "glossary": ("definition_en",),
    "fact_checks": ("agreement", "note", "paper_value", "independent_value", "independent_as_of"),
    "industrialisation_fields": ("notes",),
    "milestones": ("actor_en", "date_label"),
    "organisations": ("notes",),
    "product_forms": ("note_en",),
    "recommendation_links": ("rationale_en",),
    "relations": ("relation", "notes"),
    "talent_stages": ("note_en",),
    "type_stages": ("note_en",),
}


def language(language: str | None = None) -> str:
    """The edition's language: ``language`` if given, else ``$INFRACLUSTERS_LANGUAGE``, else English."""
    chosen = language or os.environ.get(LANGUAGE_ENV) or ENGLISH
    chosen = {"zh": CHINESE, "zh-CN": CHINESE, "zh_cn": CHINESE, "en_US": ENGLISH, "en-GB": ENGLISH}.get(chosen, chosen)
    if chosen not in LANGUAGES:
        raise ValueError(f"unknown language {chosen!r}: the book has editions in {', '.join(LANGUAGES)}")
    return chosen


@contextlib.contextmanager
def using(lang: str | None):
    """Make ``lang`` the edition's language inside the ``with`` block (for code that draws charts)."""
    previous = os.environ.get(LANGUAGE_ENV)
    os.environ[LANGUAGE_ENV] = language(lang)
    try:
        yield os.environ[LANGUAGE_ENV]
    finally:
        if previous is None:
            os.environ.pop(LANGUAGE_ENV, None)
        else:
            os.environ[LANGUAGE_ENV] = previous


def is_chinese(lang: str | None = None) -> bool:
    return language(lang) == CHINESE


def locale_dir() -> Path:
    """The book's translations; a book without its own (a one-page case book) uses the installed checkout's."""
    here = paths.root() / "locales"
    return here if here.is_dir() else paths.PACKAGE_ROOT / "locales"


def catalogue_path(domain: str, lang: str = CHINESE) -> Path:
    return locale_dir() / lang / "LC_MESSAGES" / f"{domain}.po"


@functools.lru_cache(maxsize=8)
def _catalogue(lang: str, stamp: tuple) -> dict[str, str]:
    from babel.messages.pofile import read_po

    messages: dict[str, str] = {}
    for domain in (CODE_DOMAIN, DATA_DOMAIN):
        path = catalogue_path(domain, lang)
        if not path.is_file():
            continue
        with open(path, "rb") as handle:
            for message in read_po(handle):
                if message.id and message.string and not message.fuzzy:
                    messages[message.id] = message.string
    return messages


def catalogue(lang: str | None = None) -> dict[str, str]:
    """The package's translations into ``lang`` (msgid → msgstr), re-read when a file changes."""
    lang = language(lang)
    files = [catalogue_path(domain, lang) for domain in (CODE_DOMAIN, DATA_DOMAIN)]
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in files if p.is_file())
    return _catalogue(lang, stamp)


def gettext(message: str, lang: str | None = None) -> str:
    """``message`` in the edition's language (English text is the message itself)."""
    lang = language(lang)
    if lang == ENGLISH or not isinstance(message, str) or not message:
        return message
    return catalogue(lang).get(message, message)


_ = gettext


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it here (it is translated where shown)."""
    return message


def values(series: pd.Series, lang: str | None = None) -> pd.Series:
    """A column of English text in the edition's language (missing values stay missing)."""
    if not is_chinese(lang):
        return series
    table = catalogue(lang)
    return series.map(lambda value: table.get(value, value) if isinstance(value, str) else value)


def name(row, field: str = "name", lang: str | None = None):
    """``row[field_zh]`` in the Chinese edition, ``row[field_en]`` in the English one."""
    return row[f"{field}_zh" if is_chinese(lang) else f"{field}_en"]


def both(zh, en, lang: str | None = None, sep: str = " "):
    """A bilingual label in the English edition ("中文 English"), the Chinese alone in the Chinese one.

    Works on strings and on pandas columns alike.
    """
    return zh if is_chinese(lang) else zh + sep + en


def paper_source(source: str, lang: str | None = None) -> str:
    """A source such as "paper §1.2" or "paper intro" in the edition's language (论文§1.2, 论文引言)."""
    if not is_chinese(lang):
        return source
    return source.replace("paper intro", "论文引言").replace("paper §", "论文§").replace("paper ", "论文")


def data_messages(data_dir=None) -> dict[str, list[str]]:
    """Every message of the data catalogue with the ``table.csv:row`` places it occurs."""
    from .data import descriptor, load_table

    found: dict[str, list[str]] = {}
    for resource in descriptor(data_dir)["resources"]:  # the data dictionary: titles, descriptions, values
        place = "data/datapackage.json"
        texts = [resource.get("title"), resource.get("description")]
        for field in resource["schema"]["fields"]:
            texts.append(field.get("description"))
            enum = field.get("constraints", {}).get("enum") or []
            texts += [value for value in enum if isinstance(value, str)]
        for text in texts:
            if isinstance(text, str) and text.strip():
                found.setdefault(text, []).append(f"{place}:1")
    for table, columns in DATA_TEXT.items():
        frame = load_table(table, data_dir)
        for position, record in enumerate(frame.to_dict("records"), start=2):
            for column in columns:
                value = record.get(column)
                if isinstance(value, str) and value.strip():
                    found.setdefault(value, []).append(f"data/{table}.csv:{position}")
    return found
