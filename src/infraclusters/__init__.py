"""infraclusters: the shared package of the compendium on innovation infrastructure clusters.

Modules, one per concept:

- :mod:`infraclusters.data`: load any table by name, validated against ``data/datapackage.json``;
- :mod:`infraclusters.chain`: the four-stage innovation chain and who serves which stage;
- :mod:`infraclusters.network`: networkx graphs of the typology, with reproducible layouts;
- :mod:`infraclusters.charts`: the shared chart theme and one function per figure;
- :mod:`infraclusters.figures`: the figure registry and export (PNG, SVG, JSON, CSV, citation);
- :mod:`infraclusters.citation`: how to cite the book, a figure and the paper;
- :mod:`infraclusters.bundle` and :mod:`infraclusters.sphinx_ext`: offline Vega and the book build.

Importing the package is cheap: Altair, networkx, Frictionless and vl-convert
load only in the modules that need them.
"""

__version__ = "0.1.0"
