"""Where things live: the one place that knows the repository layout.

Every other module asks here for the data directory, the bibliography and the
book's root, so no chapter or script hard-codes a relative path.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the repository (the package is installed editable from ``src/``).
ROOT = Path(__file__).resolve().parents[2]

#: Environment variable that points every loader at another data directory,
#: for example a reader's own cluster kept outside the repository.
DATA_ENV = "INFRACLUSTERS_DATA"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The data directory: ``override``, else ``$INFRACLUSTERS_DATA``, else ``ROOT/data``."""
    chosen = override or os.environ.get(DATA_ENV) or ROOT / "data"
    return Path(chosen).resolve()


def bibliography() -> Path:
    """The book's ``references.bib``: the list of keys a data row may cite."""
    return ROOT / "references.bib"
