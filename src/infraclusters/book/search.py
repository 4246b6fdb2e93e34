"""Search that finds the paper's terms: the glossary as jieba's user dictionary, in both editions.

Sphinx's Chinese search cuts text into words with jieba, which does not know
the paper's terms: it cuts 中试基地 into 中试 and 基地, so a search for the
term finds nothing. The English search cuts text only where a letter meets a
non-letter, so a Chinese term inside a longer run of Han text (a quotation) is
no word of its own there.

At ``config-inited``, :func:`.hooks.prepare_search` writes the Chinese terms of
``glossary.csv`` as a jieba user dictionary into the build's own folder (never
a committed copy) and names it in ``html_search_options["dict"]``, where
Sphinx's Chinese search loads it. The extension replaces the two search
languages with :class:`EnglishSearch`, which cuts runs of Han text with jieba
and that dictionary, and :class:`ChineseSearch`, whose English words are
stemmed as the search page's JavaScript stems them. Both index every glossary
word found in a text, also inside a longer term (创新基础设施 in
创新基础设施集群).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from sphinx.search.en import SearchEnglish
from sphinx.search.zh import SearchChinese

#: A word as both jieba's segmenter (one block of its ``re_han_default``) and the search box
#: (letters and numbers) see it: Han characters of jieba's range, ASCII letters and digits.
WORD = re.compile(r"[\u4e00-\u9fd5A-Za-z0-9]+")
HAN = re.compile(r"[\u4e00-\u9fd5]")
#: jieba's frequency for a glossary word: any cut into two or more of its dictionary's words is
#: less likely (its commonest word, 的, is about 318,825 in 60 million), so the term stays whole.
FREQUENCY = 1_000_000
#: Longer "terms" are not terms; each one would add as many prefixes to jieba's dictionary.
MAX_LENGTH = 40
DICTIONARY = "glossary-dict.txt"
OPTION = "dict"  # the key Sphinx's Chinese search reads
DIGEST_OPTION = "infraclusters_glossary"  # changes with the dictionary, so every page is indexed anew


def dictionary_words(terms: Iterable[object]) -> list[str]:
    """The words of the glossary's terms that jieba can hold, in order, once each.

    A term is cut where the search box cuts a query (两头重、中间轻 is searched as
    两头重 and 中间轻); only parts with a Han character, at least two characters
    long and at most :data:`MAX_LENGTH`, are kept. Anything that is not text is
    skipped, so no line of the dictionary can hold a space, a line break or a
    frequency of its own.
    """
    words: dict[str, None] = {}
    for term in terms:
        if isinstance(term, str):
            for word in WORD.findall(term):
                if HAN.search(word) and 2 <= len(word) <= MAX_LENGTH:
                    words[word] = None
    return list(words)


def write_dictionary(terms: Iterable[object], path: Path) -> Path:
    """jieba's user dictionary of ``terms``: one word and its frequency a line, UTF-8."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{word} {FREQUENCY}\n" for word in dictionary_words(terms)), encoding="utf-8")
    return path


def read_dictionary(path: str | None) -> list[str]:
    """The words of a user dictionary written by :func:`write_dictionary` (none without one)."""
    if not path or not Path(path).is_file():
        return []
    return [line.split(" ", 1)[0] for line in Path(path).read_text(encoding="utf-8").splitlines() if line]


def glossary_terms(book) -> list[str]:
    """The Chinese terms of the book's glossary (none if its data has no glossary)."""
    try:
        glossary = book.compendium().table("glossary")
    except KeyError:
        return []
    return glossary["term_zh"].dropna().tolist()


def options(current: dict | None, path: Path) -> dict:
    """``html_search_options`` naming the dictionary at ``path`` and its digest (the rest kept)."""
    return {
        **(current or {}),
        OPTION: str(path.resolve()),  # Sphinx looks for it from the current directory
        DIGEST_OPTION: hashlib.sha256(path.read_bytes()).hexdigest()[:16],
    }


def load_jieba(path: str | None):
    """jieba with the user dictionary at ``path`` loaded (None if jieba is not installed)."""
    try:
        import jieba
    except ImportError:
        return None
    import logging

    jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict …" in every build's output
    if path and Path(path).is_file():
        jieba.load_userdict(path)
    return jieba


class GlossaryWords:
    """Mixin of the two search languages: every glossary word a text holds is one of its words."""

    glossary: list[str] = []

    def glossary_in(self, text: str) -> list[str]:
        return [word for word in self.glossary if word in text]


def porter_js() -> str:
    """The search page's stemmer: Snowball's Porter stemmer in JavaScript, the one Sphinx ships generated from the
    same Snowball source as the Python stemmer that builds the index. Sphinx's own English page stems with a
    hand-written Porter variant instead, which cuts "technology" to *technolog* where the index has *technologi*:
    a page using only that form was never found."""
    from sphinx.search import __file__ as search_package

    folder = Path(search_package).parent / "minified-js"
    base = (folder / "base-stemmer.js").read_text(encoding="utf-8")
    porter = (folder / "porter-stemmer.js").read_text(encoding="utf-8")
    return f"{base}\n{porter}\nStemmer = PorterStemmer;"


class EnglishSearch(GlossaryWords, SearchEnglish):
    """Sphinx's English search, which also cuts runs of Han text into words with jieba and the glossary."""

    js_stemmer_code = porter_js()

    def init(self, options: dict) -> None:
        super().init(options)
        self.jieba = load_jieba(options.get(OPTION))
        self.glossary = read_dictionary(options.get(OPTION))

    def split(self, input: str) -> list[str]:
        words = [piece for word in super().split(input) for piece in self.cut(word)]
        return words + self.glossary_in(input)

    def cut(self, word: str) -> list[str]:
        """A word without Han characters as it is; a run of Han text as jieba cuts it for search."""
        if self.jieba is None or not HAN.search(word):
            return [word]
        return [piece for piece in self.jieba.cut_for_search(word) if len(piece) > 1 or not HAN.search(piece)]


class ChineseSearch(GlossaryWords, SearchChinese):
    """Sphinx's Chinese search (which loads the dictionary), stemming English words as its JavaScript does.

    Sphinx stems them with Snowball's ``english`` here but with the Porter stemmer
    on the search page, so "valley" was indexed as *valley* and searched as *vallei*: both now use Snowball's
    Porter stemmer (:func:`porter_js`).
    """

    js_stemmer_code = porter_js()

    def init(self, options: dict) -> None:
        import snowballstemmer

        load_jieba(None)  # quiet; SearchChinese loads the dictionary itself
        super().init(options)
        self.stemmer = snowballstemmer.stemmer("porter")
        self.glossary = read_dictionary(options.get(OPTION))

    def split(self, input: str) -> list[str]:
        return super().split(input) + self.glossary_in(input)
