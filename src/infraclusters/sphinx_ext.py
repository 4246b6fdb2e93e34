"""Sphinx extension: offline Vega, figure downloads and the ``{infra-figure}`` directive.

At ``config-inited`` it writes, under ``_build/``:

* ``infraclusters-static/infraclusters-vega.js``: the Vega bundle from
  :mod:`infraclusters.bundle`, added to every page as a plain (blocking) script
  so it is defined before any chart's inline script runs;
* ``infraclusters-extra/figures/``: every figure's PNG, SVG, Vega-Lite JSON,
  CSV and citation, from :func:`infraclusters.figures.export_all`, copied to
  the site root as ``figures/``.

Both are rebuilt only when their inputs change (package sources, data,
bibliography), so a no-change rebuild costs nothing here.

``{infra-figure} fig-id`` pastes the chart the chapter glued under ``fig-id``
as a numbered figure whose label, caption, sources and alt text come from the
figure registry, followed by the download links and a text description.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from myst_nb.ext.glue.directives import PasteFigureDirective

from . import bundle, figures, paths

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
    stamp = target / ".fingerprint"
    if stamp.is_file() and stamp.read_text() == key:
        return
    target.mkdir(parents=True, exist_ok=True)
    produce(target)
    stamp.write_text(key)


def _on_config_inited(app, config) -> None:
    build_root = Path(app.doctreedir).parent
    package = Path(__file__).parent
    static = build_root / "infraclusters-static"
    key = _fingerprint(package / "bundle.py") + str(bundle.bundled_versions())
    _write_if_changed(static, key, lambda d: (d / bundle.BUNDLE_NAME).write_text(
        bundle.build_bundle(), encoding="utf-8"))
    extra = build_root / "infraclusters-extra"
    key = _fingerprint(package, paths.data_dir(), paths.bibliography())
    _write_if_changed(extra, key, lambda d: figures.export_all(d / "figures"))
    config.html_static_path.append(str(static))
    config.html_extra_path.append(str(extra))


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
        sources = "; ".join(f"`{s}`" if s.startswith("data/") else s for s in fig.sources)
        caption = f"**{fig.title_en}** {fig.title_zh}. {fig.caption} *Source:* {sources}."
        self.content = StringList([caption], source=self.state.document.current_source)
        result = super().run()
        figure_node = result[0]
        if isinstance(figure_node, nodes.figure):
            figure_node += nodes.legend("", self._downloads(fig))
        return result

    def _downloads(self, fig) -> nodes.raw:
        prefix = "../" * self.env.docname.count("/")
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
    app.add_directive("infra-figure", InfraFigure)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
