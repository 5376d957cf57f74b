"""The category (问题类别) of an appeal, suggested with its unit (issue 14: one-step dispatch).

The routing model predicts units only: its training set (data/train.jsonl) labels units, and the categories
are a finer split inside each unit that administrators may edit. So the category is chosen *within the
suggested unit*: among the categories that go to that unit in the appeal's community, the one whose words
(linli.appeals.defaults.CATEGORY_KEYWORDS, plus the category's own name) occur most in the text, longer
words weighing more ("楼道灯" says more than "灯"). When no word occurs, the unit's first category in the
directory's order is suggested, marked as a guess. A unit with one category needs no choice at all.

Measured on the held-out set (data/heldout.jsonl, whose rows carry a hand-assigned "category"): see
docs/routing.md and `evaluate` below.

No Django here (like model.py): the database side is in linli.appeals.routing.services.suggest_category.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from linli.appeals.routing.model import normalise


@dataclass(frozen=True)
class Candidate:
    """A category the suggested unit handles: code, name and the words residents use for it."""

    code: str
    name: str
    keywords: str = ""


@dataclass
class CategoryChoice:
    code: str
    #: True when some of the category's words occur in the text; False when it is the unit's first category.
    matched: bool
    words: list[str]


def _words(candidate: Candidate) -> list[str]:
    words = {normalise(w) for w in [candidate.name, *candidate.keywords.split()]}
    return sorted((w.replace(" ", "") for w in words if w), key=len, reverse=True)


def choose(text: str | None, candidates: Sequence[Candidate]) -> CategoryChoice | None:
    """The best candidate for `text` (None without candidates). Ties go to the earlier candidate."""
    if not candidates:
        return None
    plain = normalise(text).replace(" ", "")
    best: tuple[float, int, list[str]] | None = None
    for index, candidate in enumerate(candidates):
        hits = [w for w in _words(candidate) if w in plain]
        # A word inside a longer matched word of the same category counts once ("楼道灯" and "灯").
        hits = [w for w in hits if not any(w != h and w in h for h in hits)]
        score = float(sum(len(w) for w in hits))
        if best is None or score > best[0]:
            best = (score, index, hits)
    score, index, hits = best
    if score <= 0:
        return CategoryChoice(candidates[0].code, False, [])
    return CategoryChoice(candidates[index].code, True, hits[:3])


def evaluate(rows: Sequence[dict], candidates_of) -> dict:
    """Top-1 accuracy of `choose` on rows {"text", "unit", "category"} given the true unit; `candidates_of(unit)`
    lists the unit's candidates. Rows of units with one category are counted apart (nothing to choose)."""
    total = correct = single = 0
    mistakes = []
    for row in rows:
        if not row.get("category"):
            continue
        candidates = candidates_of(row["unit"])
        if len(candidates) < 2:
            single += 1
            continue
        total += 1
        got = choose(row["text"], candidates)
        if got is not None and got.code == row["category"]:
            correct += 1
        else:
            mistakes.append({"text": row["text"], "expected": row["category"], "got": got.code if got else None})
    return {
        "accuracy": correct / total if total else None,
        "evaluated": total,
        "single_category_rows": single,
        "mistakes": mistakes,
    }
