"""infraclusters: the shared package of the compendium on innovation infrastructure clusters.

A chapter opens the compendium and its edition once, then passes them on::

    import infraclusters
    c, ed = infraclusters.open(data_dir)      # data_dir=None: the book's data

The package is layered; a lower layer never imports a higher one (a test checks):

- :mod:`infraclusters.model`: the data package, :class:`~infraclusters.model.Compendium`,
  the chain, graphs, clusters, recommendations, fact checks and claims (no charts, Sphinx or language);
- :mod:`infraclusters.edition`: :class:`~infraclusters.edition.Edition`, every language choice;
- :mod:`infraclusters.figures`: the registry, theme, shared marks, one module of figures per chapter, export;
- :mod:`infraclusters.text`: Markdown tables, case-page headers, citations;
- :mod:`infraclusters.book`: the Sphinx extension, editions, translations, PDF, one-page render, Vega bundle;
- :mod:`infraclusters.cli`: the command line (``python -m infraclusters``).

Importing the package is cheap: pandas, Altair, networkx, Frictionless and
vl-convert load only when something needs them.
"""

from __future__ import annotations

import os as _os

__version__ = "0.1.0"


def open(data_dir=None, language: str | None = None):  # noqa: A001 - the compendium's verb
    """The compendium of ``data_dir`` and the edition in ``language``, as ``(c, ed)``.

    Left out, both come from the book build that runs the chapter (see
    :mod:`infraclusters.handover`), else the installed checkout's ``data/``
    and English.
    """
    from pathlib import Path

    from .edition import Edition
    from .handover import current
    from .model import Compendium

    given = current()
    c = Compendium.open(data_dir or given.data_path, given.root, Path(given.validated) if given.validated else None)
    if given.reads_dir:  # inside a book build: say which tables this chapter reads
        c.record_reads(Path(given.reads_dir) / f"{_os.getpid()}.json")
    return c, Edition(language or given.language or "en", root=given.root)
