"""``python -m infraclusters``: see :mod:`infraclusters.cli`."""

import sys

from .cli import main

sys.exit(main())
