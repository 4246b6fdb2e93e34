"""The hand-over from the book build to the chapters' kernels: the one place environment variables are read.

A chapter runs in a Jupyter kernel that the Sphinx build (or ``case``, or
``run``) starts; the kernel cannot be handed Python objects, only its
environment. The build therefore writes one variable, ``INFRACLUSTERS_BOOK``,
holding a small JSON object (:class:`Handover`): the book being built, its data
directory, the edition's language, whether chart HTML must rely on the site's
bundled Vega, and where to record the tables a chapter reads (so a table edit
re-executes only its readers). :func:`current` reads it back; :func:`infraclusters.open`
is its only reader in the chapters. Nothing else in the package looks at
``os.environ``.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

#: The one environment variable of the package.
ENV = "INFRACLUSTERS_BOOK"
#: The checkout the package is installed from (an editable install from ``src/``).
PACKAGE_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Handover:
    """What a kernel learns from the build that started it."""

    root: str = str(PACKAGE_ROOT)
    data_dir: str | None = None
    language: str | None = None
    offline_html: bool = False  # chart HTML relies on the site's Vega bundle (set inside a book build)
    reads_dir: str | None = None  # where a kernel records the tables its chapter read (inside a book build)
    validated: str | None = None  # the build's record of its data's last successful validation
    exports_dir: str | None = None  # where ``figures.show`` writes each figure's downloads (``run``)

    def environ(self) -> dict[str, str]:
        """The environment entry that hands this over to a child process."""
        return {ENV: json.dumps(asdict(self), sort_keys=True)}

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir) if self.data_dir else Path(self.root) / "data"


def current() -> Handover:
    """What the build handed over, or the defaults (the installed checkout, English, no bundle) outside one."""
    text = os.environ.get(ENV)
    if not text:
        return Handover()
    return Handover(**json.loads(text))
