"""Each figure's number in the book ("Figure 2.1"), known before the build, so its downloads can cite it.

Sphinx numbers figures while it reads the pages, after the downloads are
drawn; this reads the same two things it does: the table of contents
(``_toc.yml``: numbered parts count chapters on from one another, as
``use_multitoc_numbering`` has them; the unnumbered appendices are "A", see
:data:`APPENDIX`, as :func:`.hooks.number_appendix_figures` numbers them) and the order of the ``{infra-figure}`` directives
on each page. A site test checks the numbers against the built pages.
"""

from __future__ import annotations

import re
from pathlib import Path

FIGURE_DIRECTIVE = re.compile(r"^```\{infra-figure\}\s+(fig-[a-z0-9]+(?:-[a-z0-9]+)*)\s*$", re.M)
#: Figures of the unnumbered appendices are numbered A.1, A.2 …, not 1, 2 … beside chapter 1's 1.1, 1.2.
APPENDIX = "A"


def pages_in_order(root: Path) -> list[tuple[Path, bool]]:
    """Every page of the table of contents, in reading order, with whether its part is numbered."""
    import yaml

    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8"))
    pages = []
    for part in toc.get("parts", []):
        numbered = bool(part.get("numbered"))
        for entry in part.get("chapters", []):
            if "glob" in entry:
                found = sorted(Path(root).glob(entry["glob"] + ".md"))
            else:
                found = [Path(root) / f"{entry['file']}.md"]
            pages += [(path, numbered) for path in found if path.is_file()]
    return pages


def figure_numbers(root: Path) -> dict[str, str]:
    """``{figure id: "2.1"}``: chapter number and place on the page; ``"A.1"`` for an appendix's figure."""
    numbers: dict[str, str] = {}
    chapter = 0
    for path, numbered in pages_in_order(root):
        if numbered:
            chapter += 1
        prefix = str(chapter) if numbered else APPENDIX
        for k, figure_id in enumerate(FIGURE_DIRECTIVE.findall(path.read_text(encoding="utf-8")), start=1):
            numbers.setdefault(figure_id, f"{prefix}.{k}")
    return numbers
