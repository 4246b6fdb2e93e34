"""The translated edition's hooks into Sphinx, each patch of Sphinx internals isolated here with its own test.

- :class:`KeepGeneratedText`: notebook outputs stay out of the chapter catalogues;
- :func:`patch_glue_in_translations`: ``{glue:text}`` in a translated paragraph finds the chapter's values;
- :class:`TranslateTocCaptions`: part captions of the table of contents in the edition's language;
- :func:`patch_case_catalogue`: the case pages share their template's catalogue;
- :class:`ExecutionTableInWords`: MyST-NB's execution table in the edition's language, status in words;
- :class:`TranslateCodeComments`: the comments of a chapter's code cells in the edition's language.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.i18n import docname_to_domain as sphinx_text_domain

from ..edition import N_, Edition
from ..figures import CASES_DIR

#: The one text every case page is made from (its catalogue is theirs).
CASE_TEMPLATE = "chapters/case_template"


def untranslatable(result: list) -> list:
    """Mark generated text as not for the chapter catalogues: the package writes it in the edition's language."""
    for node in result:
        if isinstance(node, nodes.Element):
            for element in node.findall(nodes.TextElement):
                element["translatable"] = False
    return result


class KeepGeneratedText(SphinxTransform):
    """Keep notebook outputs out of the chapter catalogues.

    A chapter's outputs (tables, glued text) are written by the package in the
    edition's language; only the prose of the source is Sphinx's to translate.
    Runs before Sphinx's own translation transform (priority 20).
    """

    default_priority = 5

    def apply(self, **kwargs) -> None:
        for container in self.document.findall(nodes.container):
            if "cell_output" in container.get("classes", []) or str(container.get("nb_element", "")).startswith(
                "cell_code_output"
            ):
                untranslatable([container])


GLUE_ROLE = re.compile(r"(\{glue(?::\w+)?\}`)(?![^`]*::)([^`]+)`")


def _with_format(match) -> str:
    """``{glue:text}`doc::key``` needs a format spec to be read as a reference (myst-nb splits at the last colon)."""
    key = match.group(2)
    return key if ":" in key or match.group(1) != "{glue:text}`" else key + ":s"


def glue_roles_to_chapter(source: str, docname: str) -> str:
    """Point every glue role of a translated paragraph at its chapter (``{glue:text}`chapter::key:s```)."""
    return GLUE_ROLE.sub(lambda m: f"{m.group(1)}{docname}::{_with_format(m)}`", source)


def patch_glue_in_translations() -> None:
    """Let ``{glue:text}`` in a translated paragraph find the chapter's glued values.

    Sphinx parses each translation as a small document of its own, with no
    notebook behind it, so myst-nb finds no glue data there. The translation's
    glue roles are pointed at the chapter, which myst-nb resolves from the
    values the chapter's execution stored. Patches ``sphinx.transforms.i18n.publish_msgstr``.
    """
    import sphinx.transforms.i18n as sphinx_i18n

    original = sphinx_i18n.publish_msgstr
    if getattr(original, "__name__", "") == "publish_translation":
        return

    def publish_translation(app, source, source_path, source_line, config, settings):
        docname = Path(app.env.doc2path(app.env.docname)).name  # the page itself, relative to itself
        return original(app, glue_roles_to_chapter(source, docname), source_path, source_line, config, settings)

    sphinx_i18n.publish_msgstr = publish_translation


class TranslateTocCaptions(SphinxTransform):
    """The table of contents' part captions in the edition's language.

    sphinx-external-toc inserts the toctrees (priority 100) after Sphinx has
    translated the page (priority 20), so their captions are translated here,
    from the same catalogue as the page they sit on.
    """

    default_priority = 150

    def apply(self, **kwargs) -> None:
        from sphinx import locale

        if Edition(self.config.language).is_english:
            return
        directories = [str(Path(self.env.srcdir) / d) for d in self.config.locale_dirs]
        domain = text_domain(self.env.docname, self.config.gettext_compact)
        catalogue, found = locale.init(directories, self.config.language, domain)
        if not found:
            return
        for toctree in self.document.findall(addnodes.toctree):
            if toctree.get("caption"):
                toctree["caption"] = catalogue.gettext(toctree["caption"])


def text_domain(docname: str, compaction) -> str:
    """The catalogue of a page: the case pages share their template's, being one text."""
    if docname.startswith(CASES_DIR + "/"):
        docname = CASE_TEMPLATE
    return sphinx_text_domain(docname, compaction)


#: The modules that look up a page's catalogue by the name Sphinx imports into them.
TEXT_DOMAIN_USERS = ("sphinx.transforms.i18n", "sphinx.builders", "sphinx.builders.gettext", "sphinx.environment")


def patch_case_catalogue() -> None:
    """Point every Sphinx module that names a page's catalogue at :func:`text_domain`."""
    import importlib

    for name in TEXT_DOMAIN_USERS:
        importlib.import_module(name).docname_to_domain = text_domain


#: MyST-NB's execution table ({nb-exec-table}): its headers, and words for its status marks, which are
#: emoji that many fonts (and the PDF's) lack, so they printed as empty boxes.
EXEC_TABLE_WORDS = {
    "Document": N_("Document"),
    "Modified": N_("Modified"),
    "Method": N_("Method"),
    "Run Time (s)": N_("Run Time (s)"),
    "Status": N_("Status"),
    "✅": N_("executed"),
    "❌": N_("failed"),
}


class ExecutionTableInWords(SphinxPostTransform):
    """The execution table in the edition's language, its status marks as words."""

    default_priority = 9  # after MyST-NB writes the table (8)

    def run(self, **kwargs) -> None:
        ed = Edition(self.config.language)
        for table in self.document.findall(nodes.table):
            header = [entry.astext() for entry in next(table.findall(nodes.thead), nodes.thead()).findall(nodes.entry)]
            if header[:1] != ["Document"] or "Status" not in header:
                continue
            for paragraph in list(table.findall(nodes.paragraph)):
                text = paragraph.astext()
                if text in EXEC_TABLE_WORDS:
                    paragraph.replace_self(nodes.paragraph(text=ed.t(EXEC_TABLE_WORDS[text])))


def code_comments(code: str) -> list[tuple[int, int, str]]:
    """The comments of Python ``code``: (line from 1, column of the ``#``, text after "# "), found by its tokens,
    so a ``#`` inside a string is no comment. Code that does not tokenize has none."""
    import io
    import tokenize

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []
    return [
        (token.start[0], token.start[1], token.string[1:].strip())
        for token in tokens
        if token.type == tokenize.COMMENT and token.string[1:].strip()
    ]


#: A shell comment: a ``#`` at the start of a line or after a space, to the end of the line.
SHELL_COMMENT = re.compile(r"(?:^|(?<=\s))#\s*(\S.*)$")


def shell_comments(code: str) -> list[tuple[int, int, str]]:
    """The comments of a shell block, as :func:`code_comments` gives Python's."""
    found = []
    for number, line in enumerate(code.split("\n"), start=1):
        match = SHELL_COMMENT.search(line)
        if match:
            found.append((number, match.start(), match.group(1).strip()))
    return found


#: Which comments a literal block's language has.
COMMENTS = {"ipython3": code_comments, "python": code_comments, "python3": code_comments, "ipython": code_comments}
COMMENTS |= {"bash": shell_comments, "shell": shell_comments, "sh": shell_comments}


def translate_comments(code: str, ed: Edition, language: str = "python") -> str:
    """``code`` with each comment replaced by its translation (a comment with none stays as it is)."""
    lines = code.split("\n")
    for line, column, text in reversed(COMMENTS[language](code)):
        translated = ed.t(text)
        if translated != text:
            row = lines[line - 1]
            lines[line - 1] = row[:column] + "# " + translated
    return "\n".join(lines)


class TranslateCodeComments(SphinxPostTransform):
    """The comments of a chapter's code cells in the edition's language (the code itself is never touched).

    Sphinx does not translate literal blocks; the comments are extracted into
    the package's catalogue (``translations --update``) and replaced here, in the
    shown cell only: the chapter executes, and downloads, its source as written.
    """

    default_priority = 9

    def run(self, **kwargs) -> None:
        ed = Edition(self.config.language)
        if not ed.is_chinese:
            return
        for block in list(self.document.findall(nodes.literal_block)):
            if block.get("language") not in COMMENTS:
                continue
            code = block.astext()
            translated = translate_comments(code, ed, block["language"])
            if translated != code:
                block.children = [nodes.Text(translated)]
                block["rawsource"] = translated
