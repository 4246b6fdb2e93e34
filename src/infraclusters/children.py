"""Child processes that end with their parent.

``figures`` draws in worker processes and ``case`` runs ``jupyter-book`` as a child. If the command is killed
(``kill -9``, a closed terminal), its children must not go on writing into the reader's folder. On Linux the
kernel is asked to send each child SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere this
does nothing.
"""

from __future__ import annotations

import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Call in a child (a pool's initializer, a ``preexec_fn``): it is killed when the process that made it dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no libc of that name: the child simply outlives a killed parent
        pass
