"""Sphinx extension: offline Vega, figure downloads and the ``{infra-figure}`` directive.

At ``config-inited`` it writes, under ``_build/``:

* ``infraclusters-static/infraclusters-vega.js``: the Vega bundle from
  :mod:`infraclusters.bundle`, added to every page as a plain (blocking) script
  so it is defined before any chart's inline script runs;
* ``infraclusters-extra/figures/``: every figure's PNG, SVG, Vega-Lite JSON,
  CSV and citation, from :func:`infraclusters.figures.export_all`, copied to
  the site root as ``figures/``.

Both are rebuilt only when their inputs change (package sources, data,
bibliography), so a no-change rebuild costs nothing here. The same change
empties the notebook execution cache, which otherwise would not notice it.

``{infra-figure} fig-id`` pastes the chart the chapter glued under ``fig-id``
as a numbered figure whose label, caption, sources and alt text come from the
figure registry, followed by the download links and a text description.
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from myst_nb.ext.glue.directives import PasteFigureDirective

from . import bundle, charts, figures, paths

STYLESHEET = "infraclusters.css"
CSS = """\
figure.infra-figure .cell_output, figure.infra-figure .output { overflow-x: auto; }
p.infra-figure-downloads { font-size: 0.9em; margin: 0.4em 0 0.2em; }
details.infra-figure-alt { font-size: 0.9em; }
"""
DOWNLOADS = (("png", "PNG (2×)"), ("svg", "SVG"), ("vl.json", "Vega-Lite JSON"), ("csv", "CSV data"),
             ("txt", "Cite (text)"), ("bib", "Cite (BibTeX)"))


def _fingerprint(*roots: Path) -> str:
    digest = hashlib.sha256()
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(paths.ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _write_if_changed(target: Path, key: str, produce) -> None:
    stamp = target.with_name(target.name + ".sha256")  # beside, not inside: the folder is copied to the site
    if stamp.is_file() and stamp.read_text() == key:
        return
    target.mkdir(parents=True, exist_ok=True)
    produce(target)
    stamp.write_text(key)


def _invalidate_stale_execution_cache(app, config) -> None:
    """Empty the jupyter-cache when the package, data or bibliography changed.

    jupyter-cache keys a chapter on its own code cells only, so an edit to a
    data table or to the package would otherwise leave stale outputs in the
    book. Every chapter depends on both, so any such change re-executes all;
    an edit to one chapter's code still re-executes only that chapter.
    """
    cache = Path(config.nb_execution_cache_path or Path(app.doctreedir).parent / ".jupyter_cache")
    if not cache.is_absolute():
        cache = Path(app.confdir) / cache
    config.nb_execution_cache_path = str(cache)
    key = _fingerprint(Path(__file__).parent, paths.data_dir(), paths.bibliography())
    stamp = cache / "infraclusters-inputs.sha256"
    if cache.exists() and not (stamp.is_file() and stamp.read_text() == key):
        shutil.rmtree(cache)
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key)


def _on_config_inited(app, config) -> None:
    # Inherited by the kernels that execute the chapters: see charts.setup().
    os.environ[charts.BOOK_BUILD_ENV] = "1"
    _invalidate_stale_execution_cache(app, config)
    build_root = Path(app.doctreedir).parent
    package = Path(__file__).parent
    static = build_root / "infraclusters-static"
    key = _fingerprint(package / "bundle.py") + str(bundle.bundled_versions())
    _write_if_changed(static, key, lambda d: (d / bundle.BUNDLE_NAME).write_text(
        bundle.build_bundle(), encoding="utf-8"))
    (static / STYLESHEET).write_text(CSS, encoding="utf-8")
    extra = build_root / "infraclusters-extra"
    key = _fingerprint(package, paths.data_dir(), paths.bibliography())
    _write_if_changed(extra, key, lambda d: figures.export_all(d / "figures"))
    config.html_static_path.append(str(static))
    config.html_extra_path.append(str(extra))


def _source_markup(source: str) -> str:
    """A caption's source as MyST: data files as code, paper sections as text, bib keys cited."""
    if source.startswith("data/"):
        return f"`{source}`"
    if source.startswith("paper"):
        return source
    return f"{{cite:p}}`{source}`"


class InfraFigure(PasteFigureDirective):
    """``{infra-figure} fig-id``: a glued chart as a numbered, captioned, downloadable figure."""

    has_content = False
    option_spec = {}

    def run(self):
        try:
            fig = figures.get(self.arguments[0])
        except KeyError as exc:
            raise self.error(str(exc)) from None
        self.options = {"name": fig.id, "alt": fig.alt, "figclass": ["infra-figure"]}
        sources = "; ".join(_source_markup(s) for s in fig.sources)
        caption = f"**{fig.title_en}** {fig.title_zh}. {fig.caption} *Source:* {sources}."
        self.content = StringList([caption], source=self.state.document.current_source)
        result = super().run()
        figure_node = result[0]
        if isinstance(figure_node, nodes.figure):
            figure_node += nodes.legend("", self._downloads(fig))
        return result

    def _downloads(self, fig) -> nodes.raw:
        prefix = "../" * self.state.document.settings.env.docname.count("/")
        links = " · ".join(
            f'<a href="{prefix}figures/{fig.id}.{ext}" download>{label}</a>' for ext, label in DOWNLOADS
        )
        text = (
            f'<p class="infra-figure-downloads">Download: {links}</p>'
            f'<details class="infra-figure-alt"><summary>Text description</summary>'
            f"<p>{html.escape(fig.alt)}</p></details>"
        )
        return nodes.raw("", text, format="html")


def setup(app):
    app.setup_extension("myst_nb")
    app.connect("config-inited", _on_config_inited)
    app.add_js_file(bundle.BUNDLE_NAME, priority=100)
    app.add_css_file(STYLESHEET)
    app.add_directive("infra-figure", InfraFigure)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
