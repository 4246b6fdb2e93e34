"""Keeping the Chinese translations in step with the sources.

Translations live in ``locales/zh_CN/LC_MESSAGES/`` as gettext catalogues, in
the layout of sphinx-intl:

* ``chapters/<page>.po``: the chapters' prose, one catalogue per page (the
  three case pages share ``chapters/case_template.po``: one text, translated once);
* ``infraclusters.po``: strings of the package's code (chart labels, captions …);
* ``infraclusters-data.po``: the English-only free-text columns of the data.

:func:`update_translations` re-extracts the messages (Sphinx's gettext builder
for the chapters, Babel for the code, :func:`infraclusters.edition.data_messages`
for the data) and merges them into the catalogues: a new message is added
empty, a changed one is kept as *fuzzy* (its old translation shown for reference),
a removed one is kept as an obsolete ``#~`` entry, and its translation comes back
when its source does. :func:`check_translations` lists every message
that has no translation, a fuzzy one, or an obsolete one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..edition import CHINESE, CODE_DOMAIN, DATA_DOMAIN, data_messages
from .editions import book_root, book_title, build
from .i18n_patches import code_comments, shell_comments

#: Messages a translator need not touch: no Latin letter outside code (numbers, Chinese, code).
_CODE = re.compile(r"`[^`]*`")


def needs_translation(message: str) -> bool:
    """A message with a Latin letter outside code spans is prose to translate."""
    return bool(re.search("[A-Za-z]", _CODE.sub("", message)))


def _read(path: Path):
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        return read_po(handle, ignore_obsolete=False)


def _write(catalog, path: Path) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False, sort_output=False, include_previous=True)


def _templates(root: Path) -> dict[str, object]:
    """Every catalogue's template, freshly extracted: {path relative to LC_MESSAGES: Catalog}."""
    from babel.messages.catalog import Catalog

    from ..model import Compendium

    templates: dict[str, object] = {}
    gettext_dir = build("en", root=root, builder="gettext", exports=False)  # the text, not the downloads
    for pot in sorted(gettext_dir.rglob("*.pot")):
        relative = pot.relative_to(gettext_dir).with_suffix(".po")
        templates[str(relative)] = _read(pot)
    code = Catalog(project="infraclusters", domain=CODE_DOMAIN)
    for text, place in _code_messages(Path(__file__).resolve().parents[1]):
        code.add(text, locations=[place])
    for text, place in _registry_messages() + _chapter_code_messages(root):
        if text not in code:
            code.add(text, locations=[place])
    templates[f"{CODE_DOMAIN}.po"] = code
    data = Catalog(project="infraclusters", domain=DATA_DOMAIN)
    for message, places in data_messages(Compendium.open(root / "data", root)).items():
        data.add(message, locations=[(file, int(row)) for file, row in (p.rsplit(":", 1) for p in places[:3])])
    templates[f"{DATA_DOMAIN}.po"] = data
    return templates


#: The calls that mark a message in the package's code: ``ed.t("…")`` and ``N_("…")``.
MARKERS = {"t", "N_"}


def _code_messages(package: Path) -> list[tuple[str, tuple[str, int]]]:
    """Every marked message in the package's code, found in its syntax tree (f-strings included)."""
    import ast

    found = []
    for module in sorted(package.rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            first = node.args[0]
            if name in MARKERS and isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value:
                found.append((first.value, (f"src/infraclusters/{module.relative_to(package)}", node.lineno)))
    return found


def _registry_messages() -> list[tuple[str, tuple[str, int]]]:
    """Captions and alt texts of the figure registry, and the book's title: text the code holds as data."""
    from .. import figures
    from ..text import citation

    place = ("src/infraclusters/figures", 1)
    found = [(citation.BOOK_TITLE, ("CITATION.cff", 1)), (book_title(), ("_config.yml", 1))]
    for fig in [*figures.FIGURES.values(), *figures.CASE_FIGURES.values()]:
        found += [(fig.caption, place), (fig.alt, place)]
    return found


def _chapter_code_messages(root: Path) -> list[tuple[str, tuple[str, int]]]:
    """Column headers that chapters pass to ``present.table``, and the comments of their code cells (the code
    cells are not Sphinx's to translate; :class:`.i18n_patches.TranslateCodeComments` shows the comments)."""
    import ast

    found = []
    for chapter in sorted((root / "chapters").glob("*.md")):
        text = chapter.read_text(encoding="utf-8")
        for cell in re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", text, flags=re.S):
            code = "\n".join(line for line in cell.splitlines() if not line.startswith(":"))
            found += [(comment, (f"chapters/{chapter.name}", 1)) for _, _, comment in code_comments(code)]
            try:
                tree = ast.parse(code)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "table"
                    and len(node.args) > 1
                    and isinstance(node.args[1], ast.Dict)
                ):
                    for key, value in zip(node.args[1].keys, node.args[1].values):
                        if isinstance(value, ast.Constant) and isinstance(value.value, str):
                            if not (isinstance(key, ast.Constant) and str(key.value).endswith("_en")):
                                found.append((value.value, (f"chapters/{chapter.name}", 1)))
        for block in re.findall(r"```(?:bash|shell|sh)\n(.*?)```", text, flags=re.S):
            found += [(comment, (f"chapters/{chapter.name}", 1)) for _, _, comment in shell_comments(block)]
    return found


def update_translations(language: str = CHINESE, root: Path | None = None) -> list[Path]:
    """Merge freshly extracted messages into the catalogues of ``language``; returns the files written.

    Nothing a translator wrote is deleted: a catalogue whose page left the book
    is kept as it is (see :func:`merge_catalogues`).
    """
    root = (root or book_root()).resolve()
    return merge_catalogues(_templates(root), root / "locales" / language / "LC_MESSAGES", language)


def merge_catalogues(templates: dict, target: Path, language: str = CHINESE) -> list[Path]:
    """Merge each template into its catalogue under ``target`` (created empty if new); returns the files written.

    A catalogue with no template (its page was taken out of the table of
    contents, perhaps for a moment) is left untouched, translations and all,
    and named on standard error: deleting it is the translator's call.
    """
    import sys

    from babel.messages.catalog import Catalog

    written = []
    for relative, template in templates.items():
        path = target / relative
        if path.is_file():
            catalog = _read(path)
            kept = dict(catalog.obsolete)  # translations whose source went away: #~ entries
            catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
            _bring_back(catalog, kept)
        else:
            catalog = Catalog(locale=language, project="infraclusters", domain=Path(relative).stem)
            for message in template:
                if message.id:
                    catalog.add(message.id, locations=message.locations)
        _write(catalog, path)
        written.append(path)
    for orphan in sorted(set(target.rglob("*.po")) - set(written)):
        print(
            f"{orphan}: no page of the book uses this catalogue any more; kept as it is "
            "(delete it yourself if the page is gone for good)",
            file=sys.stderr,
        )
    return written


def _bring_back(catalog, kept: dict) -> None:
    """A message whose source has come back gets its old translation back from the ``#~`` entries (as msgmerge does)."""
    for message in catalog:
        old = kept.get(message.id)
        if message.id and old is not None and not message.string and old.string:
            message.string = old.string
            message.flags.discard("fuzzy")
            catalog.obsolete.pop(message.id, None)


_ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
_LINK = re.compile(r"\]\(([^)\s]*)")
#: An HTML tag, comment or declaration: a translation may not add one (the source's own are allowed).
_HTML = re.compile(r"<\s*(?:[A-Za-z][\w-]*|/\s*[A-Za-z]|!)")


_CHINESE_QUOTE = re.compile(r"“([^”]*[\u4e00-\u9fff][^”]*)”")


_ROLE_START = re.compile(r"\{([\w:-]+)\}`")


def _without_code(text: str) -> str:
    """The text with its inline code spans blanked (their content is shown, never read as markup).

    Read left to right as CommonMark does: a run of n backticks opens a code span that the next run of
    exactly n backticks closes (inside it a backslash is only a backslash); outside code, a backslash
    escapes the next character, so an escaped backtick opens nothing; a backtick right after ``{name}``
    opens a role (kept); a run with no closing run is plain text.
    """
    out, index = [], 0
    while index < len(text):
        role = _ROLE_START.match(text, index)
        char = text[index]
        if role:
            end = text.find("`", role.end())
            end = len(text) if end < 0 else end + 1
            out.append(text[index:end])
            index = end
        elif char == "\\":
            out.append(text[index : index + 2])
            index += 2
        elif char == "`":
            run_end = index
            while run_end < len(text) and text[run_end] == "`":
                run_end += 1
            width, search = run_end - index, run_end
            close = -1
            while True:
                found = text.find("`" * width, search)
                if found < 0:
                    break
                after = found
                while after < len(text) and text[after] == "`":
                    after += 1
                if after - found == width:
                    close = found
                    break
                search = after
            if close < 0:  # no closing run: the backticks are text
                out.append(text[index:run_end])
                index = run_end
            else:
                out.append("`…`")
                index = close + width
        else:
            out.append(char)
            index += 1
    return "".join(out)


#: Markup a translation may not add, whatever it is (the source's own is allowed): (name, pattern).
_STRUCTURE = (
    ("a footnote ([^…])", re.compile(r"\[\^")),
    ("a substitution ({{ … }})", re.compile(r"\{\{|\}\}")),
    ("math ($ … $)", re.compile(r"\$")),
    ("an image (![…](…))", re.compile(r"!\[")),
    ("a reference link or link definition ([…][…], […]: …)", re.compile(r"\]\s*\[|^\s*\[[^\]]*\]:", re.M)),
    ("an autolink or web address", re.compile(r"(?i)\b(?:https?|ftp|javascript|data|file|mailto):")),
)
#: Read on the raw text (a fence's backticks would otherwise be taken for code spans and blanked).
_FENCE = ("a fence or directive (```, ~~~, :::)", re.compile(r"```|~~~|:::"))
#: A Python format field of a caption or label (``{n_facilities}``, ``{name_en!r}``); not a role (``{claim}`…```).
_FIELD = re.compile(r"(?<!\{)\{([^{}`\s]*)\}(?![`{}])")


def _role_targets(text: str) -> list[str]:
    """Every role with what it points at: ``{claim}`C1.1-04``` → ``claim:C1.1-04``; a labelled
    ``{term}`whole chain <全链条>``` points at 全链条 (its label may be translated)."""
    found = []
    for name, body in _ROLE.findall(text):
        target = re.search(r"<([^<>]*)>\s*$", body)
        found.append(f"{name}:{(target.group(1) if target else body).strip()}")
    return sorted(found)


def markup_differences(message: str, translation: str) -> str | None:
    """How a translation differs from its message where it must not.

    Every role must survive with the same target (a claim id, a glue key, a
    term, a citation key), every link with the same address, no raw HTML,
    substitution, math, image, link, fence or directive may be added, no
    format placeholder the message lacks, and every Chinese quotation (the
    paper's words, or a public page's) must reappear verbatim. An escaped
    backtick (``\\```) opens no code span: what follows it is read as markup.
    """
    name, fence = _FENCE
    if len(fence.findall(translation)) > len(fence.findall(message)):
        return f"{name} is not allowed in a translation unless its message has it"
    message, translation = _without_code(message), _without_code(translation)
    wanted, got = _role_targets(message), _role_targets(translation)
    if wanted != got:
        return f"roles differ: message has {wanted}, translation has {got}"
    wanted, got = sorted(_LINK.findall(message)), sorted(_LINK.findall(translation))
    if wanted != got:
        return f"links differ: message has {wanted}, translation has {got}"
    added = sorted((Counter(_HTML.findall(translation)) - Counter(_HTML.findall(message))).elements())
    if added:
        return f"raw HTML is not allowed in a translation: {added}"
    for name, pattern in _STRUCTURE:
        if len(pattern.findall(translation)) > len(pattern.findall(message)):
            return f"{name} is not allowed in a translation unless its message has it"
    fields = set(_FIELD.findall(message))  # whole fields: name, conversion and format, as the message has them
    fields |= {field.replace("_en", "_zh", 1) for field in fields if "_en" in field}  # the value's Chinese twin
    unknown = sorted(set(_FIELD.findall(translation)) - fields)
    if unknown:
        return f"placeholders the message does not have: {unknown} (a caption or label fills only its own)"
    changed = [quote for quote in _CHINESE_QUOTE.findall(message) if quote not in translation]
    if changed:
        return f"a quotation is not verbatim: “{changed[0]}”"
    return None


#: One line of a PO file: blank, a comment, a keyword with its string, or a continued string.
_PO_LINE = re.compile(
    r'\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(?:[^"\\]|\\.)*"|"(?:[^"\\]|\\.)*")?\s*'
)


def syntax_problems(path: Path) -> list[str]:
    """Lines of a PO file that gettext would not read as written (Babel reads them leniently and loses text)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{path}: cannot be read as UTF-8 text: {exc}"]
    return [
        f"{path}, line {number}: not valid PO syntax (an unterminated or unquoted string?): {line.strip()[:80]!r}"
        for number, line in enumerate(text.splitlines(), start=1)
        if not _PO_LINE.fullmatch(line)
    ]


def lint_catalogue(path: Path) -> list[str]:
    """Problems of one catalogue file on its own: bad syntax, unreadable, or a translation whose markup differs."""
    problems = syntax_problems(path)
    if problems:
        return problems
    try:
        catalog = _read(Path(path))
    except Exception as exc:  # babel raises several kinds on a malformed file
        return [f"{path}: cannot be read as a PO file: {exc}"]
    for message in catalog:
        if message.id and message.string:
            difference = markup_differences(message.id, message.string)
            if difference:
                problems.append(f"{path}: {message.id[:60]!r}…: {difference}")
    return problems


def active_translations(locale_dirs, language: str) -> list[str]:
    """Every problem :func:`lint_catalogue` finds in the catalogues of ``language`` under ``locale_dirs``:
    what the Chinese build and ``figures --language`` refuse before they read a translation."""
    problems = []
    for folder in locale_dirs:
        messages = Path(folder) / language / "LC_MESSAGES"
        for catalogue in sorted(messages.rglob("*.po")) if messages.is_dir() else []:
            problems += lint_catalogue(catalogue)
    return problems


@dataclass(frozen=True)
class TranslationProblem:
    catalogue: str
    kind: str  # "missing", "untranslated", "fuzzy" (stale: the source changed), "obsolete" (stale: gone)
    message: str

    def __str__(self) -> str:
        text = self.message if len(self.message) <= 90 else self.message[:87] + "…"
        return f"locales/{self.catalogue}: {self.kind}: {text!r}"


def check_translations(language: str = CHINESE, root: Path | None = None) -> list[TranslationProblem]:
    """Every message of the current sources without a current translation into ``language``."""
    root = (root or book_root()).resolve()
    return compare(_templates(root), root / "locales" / language / "LC_MESSAGES", language)


def compare(templates: dict, target: Path, language: str = CHINESE) -> list[TranslationProblem]:
    """Compare freshly extracted templates with the catalogues in ``target`` (see :func:`check_translations`)."""
    problems = []
    for relative, template in templates.items():
        name = f"{language}/LC_MESSAGES/{relative}"
        path = target / relative
        broken = syntax_problems(path) if path.is_file() else []
        problems += [TranslationProblem(name, "not valid PO syntax", line) for line in broken]
        if broken:  # its messages cannot be trusted until the file is mended
            continue
        catalog = _read(path) if path.is_file() else None
        wanted = {m.id for m in template if m.id}
        for message_id in sorted(wanted, key=str):
            entry = catalog.get(message_id) if catalog is not None else None
            if entry is None:
                if needs_translation(message_id):
                    problems.append(TranslationProblem(name, "missing", message_id))
            elif entry.fuzzy:
                problems.append(TranslationProblem(name, "fuzzy (stale: its source text changed)", message_id))
            elif not entry.string and needs_translation(message_id):
                problems.append(TranslationProblem(name, "untranslated", message_id))
            elif entry.string and markup_differences(message_id, entry.string):
                kind = "markup differs (" + markup_differences(message_id, entry.string) + ")"
                problems.append(TranslationProblem(name, kind, message_id))
        if catalog is not None:
            for message_id in catalog.obsolete:
                problems.append(TranslationProblem(name, "obsolete (stale: no longer in the source)", message_id))
            for message in catalog:
                if message.id and message.id not in wanted:
                    problems.append(TranslationProblem(name, "stale (no longer in the source)", message.id))
    for path in sorted(target.rglob("*.po")) if target.is_dir() else []:
        relative = str(path.relative_to(target))
        if relative not in templates:
            problems.append(TranslationProblem(f"{language}/LC_MESSAGES/{relative}", "stale catalogue", "(whole file)"))
    return problems
