"""Writing a generated letters file (bench/letters_train.py, bench/letters_heldout.py): one JSON object a line."""

from __future__ import annotations

import json
from pathlib import Path


def write_letters(path: Path, rows: list[dict]) -> None:
    """Rewrites `path` with the rows ({"text", "unit"}), Chinese kept as written, and prints what it wrote."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    lengths = sorted(len(r["text"]) for r in rows)
    print(f"{path}: {len(rows)} letters, length {lengths[0]}–{lengths[-1]} (median {lengths[len(rows) // 2]})")
