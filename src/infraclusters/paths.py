"""Where things live: the one place that knows the repository layout.

Every other module asks here for the book's root, its data directory and its
bibliography, so no chapter or script hard-codes a relative path.

The root is the checkout the package was installed from, unless
``$INFRACLUSTERS_ROOT`` names another: the book build sets it to the book
being built (and the chapters' kernels inherit it), so a second checkout
built with the same environment reads its own data, not the first one's.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The checkout the package is installed from (editable install from ``src/``).
PACKAGE_ROOT = Path(__file__).resolve().parents[2]
ROOT_ENV = "INFRACLUSTERS_ROOT"
#: Environment variable that points every loader at another data directory,
#: for example a reader's own cluster kept outside the repository.
DATA_ENV = "INFRACLUSTERS_DATA"


def root() -> Path:
    """The book's root: ``$INFRACLUSTERS_ROOT`` if set, else the installed checkout."""
    return Path(os.environ.get(ROOT_ENV) or PACKAGE_ROOT).resolve()


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The data directory: ``override``, else ``$INFRACLUSTERS_DATA``, else ``<root>/data``."""
    chosen = override or os.environ.get(DATA_ENV) or root() / "data"
    return Path(chosen).resolve()


def bibliography() -> Path:
    """The book's ``references.bib``: the list of keys a data row may cite."""
    return root() / "references.bib"
