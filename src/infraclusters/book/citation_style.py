"""The citation labels: author–year, with 等 after a Chinese first author and *et al.* after a Latin one.

A label is written in the language of the work it cites, as GB/T 7714 has it:
"工业和信息化部等, 2024" for a Chinese ministry, "Furman *et al.*, 2002" for a
paper in English. sphinxcontrib-bibtex gives one "et al." to every entry; this
style (registered as ``author_year_cjk``, set in ``_config.yml``) decides per
entry, from the first author's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pybtex.richtext import Tag, Text
from pybtex.style.template import FieldIsMissing, first_of, node, optional, tag
from pybtex.style.template import field as entry_field
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.template import join

STYLE_NAME = "author_year_cjk"
_HAN = re.compile(r"[\u3400-\u9fff]")


def is_chinese_name(person) -> bool:
    """Does this person's (or body's) name hold a Chinese character?"""
    return bool(_HAN.search(str(person)))


#: A field of references.bib: the authors of a Chinese work in characters (``黄庆丽 and 赵紫薇 …``), for the
#: Chinese edition, where GB/T 7714 cites a Chinese work as "黄庆丽等, 2024" (the English edition keeps the
#: romanised ``author``). Set by :func:`on_config` for the edition being built.
NAMES_IN_CHINESE = "author_zh"
CHINESE_EDITION = False


def chinese_names(entry) -> list:
    from pybtex.database import Person

    return [Person(name.strip()) for name in entry.fields[NAMES_IN_CHINESE].split(" and ") if name.strip()]


@node
def names_in_their_language(children, data, role, sep="", sep2=None, last_sep=None, full=False):
    """The persons of ``role``; three or more shorten to the first and 等 (Chinese) or *et al.* (otherwise)."""
    assert not children
    try:
        persons = data["entry"].persons[role]
    except KeyError:
        raise FieldIsMissing(role, data["entry"]) from None
    if CHINESE_EDITION and role == "author" and data["entry"].fields.get(NAMES_IN_CHINESE):
        persons = chinese_names(data["entry"])  # the Chinese edition cites a Chinese work by its authors' names
    style = data["style"]
    chinese_first = bool(persons) and is_chinese_name(persons[0])
    shortened = bool(persons) and str(persons[-1]) == "others"  # BibTeX's "and others": the list is not whole
    persons = [p for p in persons if str(p) != "others"]
    formatted = [style.person.style_plugin.format(person, style.person.abbreviate) for person in persons]
    other = Text("等") if chinese_first else Text(" ", Tag("em", "et al."))
    if chinese_first:  # Chinese names are listed with 、, not "and"
        sep = sep2 = last_sep = "、"
    if shortened and formatted:
        return Text(formatted[0].format_data(data), other)
    return join(sep=sep, sep2=sep2, last_sep=last_sep, other=None if full else other)[formatted].format_data(data)


#: A work without a year, in the edition's words: sphinxcontrib-bibtex writes "n.d." in either.
NO_DATE = {False: "n.d.", True: "无日期"}


@node
def year_in_their_language(children, data):
    """The year of a citation label; a work without one is "n.d." in English and 无日期 in Chinese."""
    assert not children
    return first_of[optional[entry_field("year")], NO_DATE[CHINESE_EDITION]].format_data(data)


@node
def author_or_editor_or_title_in_their_language(children, data, full=False, **kwargs):
    """As sphinxcontrib-bibtex's ``author_or_editor_or_title``, with the shortening chosen per entry."""
    assert not children
    return first_of[
        optional[names_in_their_language(role="author", full=full, **kwargs)],
        optional[names_in_their_language(role="editor", full=full, **kwargs)],
        tag("em")[entry_field("title")],
    ].format_data(data)


@dataclass
class PersonInTheirLanguage(PersonStyle):
    """The person style of sphinxcontrib-bibtex, with the shortening chosen per entry."""

    def names(self, role: str, full: bool):
        return names_in_their_language(role=role, sep=self.sep, sep2=self.sep2, last_sep=self.last_sep, full=full)

    def author_or_editor_or_title(self, full: bool):
        return author_or_editor_or_title_in_their_language(
            sep=self.sep, sep2=self.sep2, last_sep=self.last_sep, full=full
        )


@dataclass
class AuthorYearInTheirLanguage(AuthorYearReferenceStyle):
    person: PersonStyle = field(default_factory=PersonInTheirLanguage)


def register() -> None:
    from sphinxcontrib.bibtex.plugin import register_plugin
    from sphinxcontrib.bibtex.style.referencing import basic_author_year

    # the author-year templates read the module's ``year`` when a label is formatted: the edition's "no date"
    basic_author_year.year = year_in_their_language

    register_plugin("sphinxcontrib.bibtex.style.referencing", STYLE_NAME, AuthorYearInTheirLanguage, force=True)


# --- the bibliography: every entry with its authority grade ---------------------------------

#: The authority grades of ``references.bib`` (field ``grade``), strongest first, in both languages.
GRADES = {
    "official": ("official document or site", "官方文件或网站"),
    "scholarly": ("journal, book or thesis", "期刊、图书或学位论文"),
    "press": ("established press", "正规媒体"),
    "mirror": ("repost or mirror", "转载或镜像"),
    "encyclopaedia": ("encyclopaedia", "百科"),
    "other": ("other web page, low authority", "其他网页（权威性低）"),
}
FORMAT_NAME = "plain_graded"


def grade_label(grade: str, chinese: bool) -> str:
    """The sentence a bibliography entry ends with: its source grade, in the edition's language."""
    english, zh = GRADES[grade]
    return f"来源等级：{zh}。" if chinese else f"Source grade: {english}."


#: The notes' recurring phrases (references.bib's ``note``), in the Chinese edition's words; longest first.
NOTE_PHRASES_ZH = {
    "title supplied by this book from the page's content": "标题由本书依据页面内容拟定",
    "date is the mirror’s, from URL path": "日期为镜像页面的日期，取自网址路径",
    "date not shown on the page": "页面未显示日期",
    "article title not shown": "页面未显示文章标题",
    "date from URL path": "日期取自网址路径",
    "year not shown": "页面未显示年份",
    "date not shown": "页面未显示日期",
    "no date shown": "页面未显示日期",
    "undated on page": "页面未注明日期",
    "original outlet": "原始出处",
    "low authority": "权威性低",
    "undated": "未注明日期",
}
_CITED_AS = re.compile(r"Cited as ref\. \[(\d+)\] in huang2024\.")
_LATIN_WORDS = re.compile(r"[A-Za-z]{3,}(?:\s+[A-Za-z]{2,}){2,}")


def chinese_note(note: str) -> str:
    """A bibliography note in the Chinese edition, where its entry has no ``note_zh``: its recurring phrases in
    Chinese; a note still holding English sentences is shown as written, marked 〔原文〕 (as a reader's English
    note is on a Chinese page)."""
    from ..edition import ORIGINAL

    for english, chinese in NOTE_PHRASES_ZH.items():
        note = note.replace(english, chinese)
    note = _CITED_AS.sub(lambda m: f"论文参考文献[{m.group(1)}]。", note)
    return ORIGINAL + note if _LATIN_WORDS.search(note) else note


def register_formatting(chinese: bool) -> None:
    """Register ``plain_graded``: pybtex's plain style, titles as printed, each entry followed by its grade."""
    import pybtex.plugin
    from pybtex.style.formatting.plain import Style as Plain

    class Graded(Plain):
        def format_names(self, role, as_sentence=True):
            """The authors; in the Chinese edition separated by commas, as GB/T 7714 lists them, never "and"."""
            from pybtex.style.template import names, sentence

            if not chinese:
                return super().format_names(role, as_sentence)
            listed = names(role, sep=", ", sep2=", ", last_sep=", ")
            return sentence[listed] if as_sentence else listed

        def format_title(self, e, which_field, as_sentence=True):
            """The title as printed: pybtex's plain style would lower-case all but its first letter."""
            from pybtex.style.template import sentence

            title = entry_field(which_field)
            return sentence[title] if as_sentence else title

        def format_url(self, e):
            """A web address is a link; anything else (``javascript:``, ``data:``, ``file:``) is shown as text."""
            from pybtex.style.template import words

            from .links import is_web_address

            if is_web_address(e.fields.get("url", "")):
                return super().format_url(e)

            return words["URL:", entry_field("url", raw=True)]

        def format_web_refs(self, e):
            """The address and the day it was read, in the edition's words ("访问日期" in Chinese)."""
            from pybtex.style.template import sentence

            if not chinese:
                return super().format_web_refs(e)
            return sentence[
                optional[self.format_url(e), optional["（访问日期：", entry_field("urldate"), "）"]],
                optional[self.format_eprint(e)],
                optional[self.format_pubmed(e)],
                optional[self.format_doi(e)],
            ]

        def format_entry(self, label, entry, bib_data=None):
            if chinese and entry.fields.get("note"):
                from pybtex.database import Entry

                # the style ends each block with its own full stop
                note = (entry.fields.get("note_zh") or chinese_note(entry.fields["note"])).rstrip("。.")
                fields = dict(entry.fields) | {"note": note}
                key, entry = entry.key, Entry(entry.type, fields=fields, persons=entry.persons)
                entry.key = key
            formatted = super().format_entry(label, entry, bib_data)
            grade = entry.fields.get("grade")
            if grade in GRADES:
                formatted.text = Text(formatted.text, " ", Tag("em", grade_label(grade, chinese)))
            return formatted

    pybtex.plugin.register_plugin("pybtex.style.formatting", FORMAT_NAME, Graded, force=True)


def on_config(app, config) -> None:
    """``config-inited``: the graded bibliography style, in the language of the edition being built."""
    global CHINESE_EDITION
    CHINESE_EDITION = str(config.language or "").startswith("zh")
    register_formatting(chinese=CHINESE_EDITION)
