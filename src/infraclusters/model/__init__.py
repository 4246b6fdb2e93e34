"""The model: the data package, the loaded :class:`Compendium`, and what the paper's argument computes from it.

Pure Python over pandas and networkx: no charts, no Sphinx, no Markdown and no
language. Frames keep names in their ``_zh`` and ``_en`` columns; the edition
(:class:`infraclusters.edition.Edition`) picks one where text is written.

- :mod:`.package`: read and validate the Frictionless Data Package;
- :mod:`.compendium`: :class:`Compendium` (tables and joined views, cached) and :class:`Cluster`;
- :mod:`.chain`: the four-stage chain and the §1.3 typology, which types serve which stage (§1, §2.2, §2.4);
- :mod:`.roles`: roles on the chain from evidence, and the case measures built on them (§2.2, §3);
- :mod:`.graphs`: the typology, the mechanism map and a cluster's network (networkx);
- :mod:`.clusters`: the measures of the case clusters (§3);
- :mod:`.recommendations`, :mod:`.factcheck`, :mod:`.claims`: §4, the fact check, the claims ledger.
"""

from .compendium import Cluster, Compendium, UnknownClusterError
from .package import DataValidationError, Problem, Summary

__all__ = ["Cluster", "Compendium", "DataValidationError", "Problem", "Summary", "UnknownClusterError"]
