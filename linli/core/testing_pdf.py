"""Test support for the project's PDFs (linli.core.pdf): WeasyPrint compresses its streams and writes Chinese
titles as UTF-16BE hex, so tests look at the inflated objects."""

from __future__ import annotations

import re
import zlib


def pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated, to look for dictionary entries."""
    parts = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return b"".join(parts)


def titles(blob: bytes) -> list[str]:
    """The /Title entries (UTF-16BE hex strings, as WeasyPrint writes Chinese)."""
    return [bytes.fromhex(h.decode()).decode("utf-16-be") for h in re.findall(rb"/Title\s*<feff([0-9a-f]+)>", blob)]
