"""Zip files written byte for byte the same for the same content: sorted as given, every entry dated 1980-01-01."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def reproducible_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A deflated zip of ``(name, content)`` pairs, in that order, with fixed times and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()
