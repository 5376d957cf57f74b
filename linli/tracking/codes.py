"""查询码: 8 characters a 70-year-old can read out over the phone and type on a phone keyboard.

The alphabet leaves out 0/O and 1/I (the look-alikes); 32 symbols, 8 of them: 2^40 ≈ 1.1 × 10^12
codes, so guessing one (rate-limited to a few dozen tries an hour per address) is hopeless. Shown as
"ABCD-2345"; typed in any case, with or without spaces or the dash.
"""

from __future__ import annotations

import secrets

from linli.core.crypto import blind_index

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 8
#: Full-width letters, digits and dash (a Chinese input method's) to ASCII.
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def clean(raw: str | None) -> str | None:
    """The canonical code from what was typed, or None when it cannot be a code."""
    text = "".join((raw or "").split()).translate(_FULL_WIDTH).replace("-", "").upper()
    if len(text) != LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def code_hash(code: str) -> str:
    return blind_index(code, purpose="tracking_code")
