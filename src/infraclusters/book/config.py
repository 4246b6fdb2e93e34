"""The book's configuration, made once per build and kept on the build environment.

On MyST-NB's pattern (``NbParserConfig`` on ``app.env``): :func:`from_app`
reads Sphinx's configuration once at ``config-inited`` into a frozen
:class:`BookConfig`, which every hook, directive and role of the extension
reads from ``env.infraclusters_config`` (or ``app.infraclusters_config`` before
the environment exists). It also opens the compendium and the edition that the
build process itself uses (for the glossary, the ledger, figure captions).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..edition import Edition
from ..handover import Handover
from ..model import Compendium

#: Sphinx configuration values of the extension: (name, default, rebuild, help).
CONFIG_VALUES = (
    ("infraclusters_data_dir", None, "env", "the data directory (default: data/ of the book)"),
    ("infraclusters_exports", True, "", "write every figure's downloads (off for catalogue extraction)"),
    ("infraclusters_edition_links", True, "html", "link each page to the other edition (off for a page alone)"),
    ("infraclusters_figures", "", "", "export only the figures whose id starts with this (a page alone: its own)"),
    ("infraclusters_pdf_editions", False, "env", "link the PDF editions (a release puts them in downloads/)"),
)


@dataclass(frozen=True)
class BookConfig:
    """Where the book is, which data it reads, which edition it builds, and whether it exports figures."""

    root: Path
    data_dir: Path
    language: str
    exports: bool = True
    build_dir: Path | None = None  # the build's output root (``_build``)
    figures_prefix: str = ""  # export only the figures whose id starts with it ("": every figure)

    @property
    def edition(self) -> Edition:
        return Edition(self.language, root=self.root)

    def compendium(self) -> Compendium:
        return Compendium.open(self.data_dir, self.root, self.validated)

    @property
    def validated(self) -> Path | None:
        """The record of the data's last successful validation, shared with the kernels."""
        return self.build_dir / f"infraclusters-validated{self.suffix}.json" if self.build_dir else None

    @property
    def suffix(self) -> str:
        """Appended to the build's own folders, so the two editions never share one."""
        return "" if self.edition.is_english else f"-{self.language}"

    @property
    def extra_dir(self) -> Path:
        """Files copied to the site's root: the figure downloads under ``figures/``."""
        return self.build_dir / f"infraclusters-extra{self.suffix}"

    @property
    def exports_dir(self) -> Path:
        return self.extra_dir / "figures"

    @property
    def reads_dir(self) -> Path:
        """Where the chapters' kernels record which tables they read (see :mod:`.caching`)."""
        return self.build_dir / f"infraclusters-reads{self.suffix}"

    def handover(self) -> Handover:
        """What the chapters' kernels are told (see :mod:`infraclusters.handover`)."""
        return Handover(
            root=str(self.root),
            data_dir=str(self.data_dir),
            language=self.language,
            offline_html=True,
            reads_dir=str(self.reads_dir),
            validated=str(self.validated),
        )


def from_app(app) -> BookConfig:
    """The book's configuration, read once from Sphinx's and kept on ``app``."""
    if getattr(app, "infraclusters_config", None) is None:
        root = Path(app.confdir).resolve()
        data_dir = app.config.infraclusters_data_dir
        app.infraclusters_config = BookConfig(
            root=root,
            data_dir=Path(data_dir).resolve() if data_dir else root / "data",
            language=Edition(app.config.language).language,
            exports=bool(app.config.infraclusters_exports),
            build_dir=build_dir(app),
            figures_prefix=str(app.config.infraclusters_figures or ""),
        )
    return app.infraclusters_config


def build_dir(app) -> Path:
    """The folder the build's own files go in, outside the site: ``_build`` under jupyter-book.

    It is the doctree folder's parent, unless that is inside the output (plain
    ``sphinx-build SRC _build/html`` keeps its doctrees in ``_build/html/.doctrees``),
    then the output's parent.
    """
    doctrees, outdir = Path(app.doctreedir).resolve(), Path(app.outdir).resolve()
    return outdir.parent if doctrees.parent.is_relative_to(outdir) else doctrees.parent


def of(env) -> BookConfig:
    """The configuration of the build this environment belongs to."""
    return getattr(env, "infraclusters_config", None) or from_app(env.app)
