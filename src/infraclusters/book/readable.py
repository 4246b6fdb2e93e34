"""An executed chapter as a reader opens it outside the book (JupyterLab, nbviewer, GitHub): its numbers shown.

A chapter's prose is MyST: ``{glue:text}`n_links``` shows a number the code
computed, ``{claim}`C2.1-01``` links a claim, ``{term}`…``` a glossary term,
and ``{infra-figure}`` fences place figures. Only the book renders these; a
notebook viewer shows the markup, so the numbers a reader would compare with
the page are invisible. :func:`make_readable` rewrites the Markdown cells of an
executed notebook: each glued value as the text its output holds (formatted
as the role asks), each claim as a link to its ledger entry (when the ledger
is beside it), each other role as its text, a figure's fence as the figure's
number (the figure is the output above), and the book's generated sections
as a pointer to the page. Code cells and outputs are left as they ran.
"""

from __future__ import annotations

import re

from docutils.nodes import make_id

from ..edition import Edition
from .roles import claim_label

ROLE = re.compile(r"(?<!`)\{([a-z]+(?::[a-z]+)?)\}`([^`]+)`")
FENCE = re.compile(r"^(`{3,}|:{3,})\{([a-z][a-z:-]*)\}[ \t]*([^\n]*)\n(.*?)^\1[ \t]*$", re.S | re.M)
GLUE_ROLES = {"glue", "glue:text", "glue:any", "glue:md"}


def glued(notebook) -> dict[str, str]:
    """``{name: text}`` of every value the notebook glued (MyST-NB keeps each as an output named in its metadata)."""
    found = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook", {})
            name, prefix = scrapbook.get("name"), scrapbook.get("mime_prefix", "")
            data = {str(key).removeprefix(prefix): value for key, value in output.get("data", {}).items()}
            if name and "text/plain" in data:
                text = data["text/plain"]
                text = "".join(text) if isinstance(text, list) else str(text)
                found[name] = text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else text
    return found


def _shown(content: str) -> tuple[str, str]:
    """``"text <target>"`` → ``("text", "target")``; ``"target"`` → ``("target", "target")``."""
    labelled = re.fullmatch(r"(.*?)\s*<([^<>]+)>", content.strip(), re.S)
    return (labelled.group(1), labelled.group(2)) if labelled else (content.strip(), content.strip())


def _glue(content: str, values: dict[str, str], original: str) -> str:
    name, _, spec = content.partition(":")
    if name not in values:
        return original  # not glued by this run: left as written, so the gap shows
    value = values[name]
    if spec:
        try:
            return format(float(value), spec)
        except ValueError:
            return value
    return value


def markdown(text: str, values: dict[str, str], ed: Edition, numbers: dict[str, str], ledger: str | None = None) -> str:
    """One Markdown cell with the book's roles and fences resolved (see the module's text)."""

    def fence(match: re.Match) -> str:
        name, argument = match.group(2), match.group(3).strip()
        if name == "infra-figure":
            number = numbers.get(argument)
            label = (f"图 {number}" if ed.is_chinese else f"Figure {number}") if number else argument
            return f"*{label}" + ("（上方单元格的输出）*" if ed.is_chinese else " (the output above).*")
        return "*（本节由书中页面生成。）*" if ed.is_chinese else "*(This section is generated on the book's page.)*"

    def role(match: re.Match) -> str:
        kind, content = match.group(1), match.group(2)
        if kind in GLUE_ROLES:
            return _glue(content, values, match.group(0))
        shown, target = _shown(content)
        if kind == "claim":
            anchor = make_id(claim_label(target))  # the ledger's id for the claim, as docutils makes it
            return f"[{shown}]({ledger}#{anchor})" if ledger else shown
        if kind == "numref" and target in numbers:
            return f"图 {numbers[target]}" if ed.is_chinese else f"Figure {numbers[target]}"
        if kind.startswith("cite"):
            return f"[{target}]"
        return shown

    return ROLE.sub(role, FENCE.sub(fence, text))


def make_readable(notebook, ed: Edition, numbers: dict[str, str], ledger: str | None = None):
    """The notebook with every Markdown cell readable outside the book (in place; also returned)."""
    values = glued(notebook)
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            cell["source"] = markdown(source, values, ed, numbers, ledger)
    return notebook
