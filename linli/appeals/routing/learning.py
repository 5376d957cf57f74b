"""Learning from dispatchers' corrections beyond the shared model (issue 21): local rules per community and
street, and the check that a retrained model is not worse than the active one.

- **Local rules.** A community's own corrections decide for that community once at least
  `LINLI_ROUTING_LOCAL_MIN_CORRECTIONS` of them, similar to the text (cosine ≥ LOCAL_MATCH of the model's own
  tf-idf vectors), chose one unit and are the majority of its similar corrections: two compounds' lifts may be
  handled by different organisations. Failing that, the street's corrections decide the same way when they come
  from at least STREET_COMMUNITIES communities (one community's habit stays its own). Other communities and
  streets are untouched. Below the minimum nothing changes: one mis-click is not a rule.
- **Check report.** A retrained model and the active one are measured on the fixed check set (the shipped
  held-out files, never trained on): accuracy per file and overall, and per unit where it changed. A new version
  that is worse overall by more than the tolerance, or on one unit by more than the unit tolerance, is refused.
"""

from __future__ import annotations

import threading
from collections import Counter

import numpy as np
from django.conf import settings
from django.db.models import Max

from linli.appeals.routing import model as m
from linli.appeals.routing.model import Example, Router, Suggestion
from linli.appeals.routing.models import RoutingCorrection

#: Similarity (cosine of tf-idf vectors) at which a corrected text counts as "the same problem" for a local rule:
#: paraphrases of one problem score 0.4–0.6, the same words 0.7 and up; the minimum count guards the rest.
LOCAL_MATCH = 0.5
#: The newest corrections of a street that are compared (habits change; memory stays small).
LOCAL_MEMORY = 500
#: A street's rule needs corrections from this many of its communities.
STREET_COMMUNITIES = 2

_lock = threading.Lock()
_memory: dict = {}


def min_corrections() -> int:
    """LINLI_ROUTING_LOCAL_MIN_CORRECTIONS (default 3): similar corrections to one unit before a local rule applies."""
    return max(1, int(getattr(settings, "LINLI_ROUTING_LOCAL_MIN_CORRECTIONS", 3)))


def forget() -> None:
    with _lock:
        _memory.clear()


def _street_memory(router: Router, version, community_id: int):
    """(street id, community ids, tf-idf matrix, chosen units) of the newest corrections in the community's street,
    cached per process by (street, model version, newest correction id): one query when nothing changed."""
    from linli.areas.models import Community

    with _lock:
        street_id = _memory.get(("street", community_id))
    if street_id is None:
        street_id = Community.objects.filter(pk=community_id).values_list("street_id", flat=True).first()
        if street_id is None:
            return None
        with _lock:
            _memory[("street", community_id)] = street_id
    scope = RoutingCorrection.objects.filter(community__street_id=street_id)
    newest = scope.aggregate(n=Max("id"))["n"]
    if newest is None:
        return None
    key = (version, newest)
    with _lock:
        hit = _memory.get(street_id)
    if hit is not None and hit[0] == key:
        return hit[1]
    rows = list(scope.order_by("-id").values_list("community_id", "text", "chosen")[:LOCAL_MEMORY])
    matrix = router.vectorizer.transform([m.normalise(t) for _, t, _ in rows])
    value = (np.array([c for c, _, _ in rows]), matrix, np.array([u for _, _, u in rows], dtype=object))
    with _lock:
        if len(_memory) > 5000:  # a bound, not an expected size
            _memory.clear()
        _memory[street_id] = (key, value)
    return value


def local_rule(router: Router, text: str | None, community_id: int, version=None):
    """(unit, count of similar corrections, scope label) when the community's or its street's corrections decide
    this text, else None. The scope label is 本社区 or 本街道."""
    norm = m.normalise(text)
    if not norm:
        return None
    memory = _street_memory(router, version, community_id)
    if memory is None:
        return None
    communities, matrix, units = memory
    vector = router.vectorizer.transform([norm])
    if vector.nnz == 0:
        return None
    similar = (matrix @ vector.T).toarray().ravel() >= LOCAL_MATCH
    need = min_corrections()
    for label, mask in (("本社区", similar & (communities == community_id)), ("本街道", similar)):
        votes = Counter(units[mask])
        if not votes:
            continue
        unit, count = votes.most_common(1)[0]
        if count < need or count * 2 <= mask.sum():
            continue
        if label == "本街道" and len(set(communities[mask & (units == unit)])) < STREET_COMMUNITIES:
            continue
        return unit, count, label
    return None


def apply_local(router: Router, suggestion: Suggestion, text: str | None, community_id: int, version=None):
    """The suggestion with the community's (or street's) local rule on top, when one decides another unit."""
    rule = local_rule(router, text, community_id, version)
    if rule is None or rule[0] == suggestion.unit:
        return suggestion
    unit, count, label = rule
    ranked = [(suggestion.unit, suggestion.confidence), *suggestion.alternatives]
    name = router.unit_names.get(unit, unit)
    return Suggestion(
        unit,
        max(dict(ranked).get(unit, 0.0), min(0.95, count / (count + 1))),
        [(code, p) for code, p in ranked if code != unit][:2],
        f"{label}以往派给{name}（{count}次相似诉求）",
        suggestion.keywords,
    )


# --- the check set and the retraining report ----------------------------------------------------------------


def check_files():
    """The fixed check set: the shipped held-out files (never trained on), by name."""
    files = [m.HELDOUT_FILE, m.DATA_DIR / "fresh.jsonl", m.LETTERS_HELDOUT_FILE]
    return {f.name: f for f in files if f.exists()}


def check_examples() -> dict[str, list[Example]]:
    return {name: m.load_examples(path) for name, path in check_files().items()}


def _right(router: Router, examples: list[Example]) -> list[bool]:
    return [p.unit == e.unit for p, e in zip(router.predict([e.text for e in examples], explain=False), examples)]


def _share(flags) -> float:
    flags = list(flags)
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def tolerances() -> tuple[float, float]:
    """(overall, per unit) accuracy drops on the check set a retrained version may show and still be activated:
    LINLI_ROUTING_RETRAIN_TOLERANCE (default 0.01) and LINLI_ROUTING_RETRAIN_UNIT_TOLERANCE (default 0.1)."""
    return (
        float(getattr(settings, "LINLI_ROUTING_RETRAIN_TOLERANCE", 0.01)),
        float(getattr(settings, "LINLI_ROUTING_RETRAIN_UNIT_TOLERANCE", 0.1)),
    )


def check_report(new: Router, previous: Router | None, previous_version: int | None, *, tolerance=None) -> dict:
    """What the retraining changed on the check set: accuracy per file and overall before (the active model) and
    after, per unit where it changed, and whether the new version may be activated ("ok") with the reason in
    Chinese. Without a previous model there is nothing to compare: ok."""
    overall_tol, unit_tol = tolerances()
    if tolerance is not None:
        overall_tol = tolerance
    sets = check_examples()
    after = {name: _right(new, ex) for name, ex in sets.items()}
    before = {name: _right(previous, ex) for name, ex in sets.items()} if previous is not None else None
    every = [e for ex in sets.values() for e in ex]
    flat_after = [f for name in sets for f in after[name]]
    report = {
        "previous_version": previous_version,
        "n": len(every),
        "after": _share(flat_after),
        "sets": [{"name": name, "n": len(ex), "after": _share(after[name])} for name, ex in sets.items()],
        "units": [],
        "tolerance": overall_tol,
        "unit_tolerance": unit_tol,
        "ok": True,
        "reason": "没有启用中的版本可比较。" if previous is None else "",
    }
    if before is None or not every:
        return report
    flat_before = [f for name in sets for f in before[name]]
    report["before"] = _share(flat_before)
    for row in report["sets"]:
        row["before"] = _share(before[row["name"]])
    worse = []
    names = m.default_unit_names() | new.unit_names
    for unit in sorted({e.unit for e in every}):
        idx = [i for i, e in enumerate(every) if e.unit == unit]
        b, a = _share(flat_before[i] for i in idx), _share(flat_after[i] for i in idx)
        if a != b:
            name = names.get(unit, unit)
            report["units"].append({"unit": unit, "name": name, "n": len(idx), "before": b, "after": a})
        if b - a > unit_tol:
            worse.append(f"{names.get(unit, unit)}由{b:.0%}降到{a:.0%}")
    if report["after"] < report["before"] - overall_tol:
        worse.insert(0, f"核对集准确率由{report['before']:.1%}降到{report['after']:.1%}（容差{overall_tol:.1%}）")
    report["ok"] = not worse
    report["reason"] = (
        "；".join(worse) + "，未启用，仍用原版本。"
        if worse
        else f"核对集准确率{report['before']:.1%}→{report['after']:.1%}，未变差。"
    )
    return report


def overview(community, *, versions: int = 5, corrections: int = 10) -> dict:
    """What staff see of the routing model on the unit set-up page: the newest versions with their check reports,
    the community's newest corrections and how many a local rule needs."""
    from linli.appeals.models import HandlingUnit
    from linli.appeals.routing.models import RoutingModel

    names = m.default_unit_names() | dict(HandlingUnit.objects.values_list("code", "name"))
    rows = list(RoutingModel.objects.defer("artifact").order_by("-version")[:versions])
    for row in rows:
        row.report = row.metrics.get("report") or {}
        row.heldout = row.metrics.get("accuracy")
    recent = list(
        RoutingCorrection.objects.filter(community=community)
        .order_by("-id")
        .values("text", "suggested", "chosen")[:corrections]
    )
    for c in recent:
        c["suggested_name"] = names.get(c["suggested"], c["suggested"] or "—")
        c["chosen_name"] = names.get(c["chosen"], c["chosen"])
    return {
        "versions": rows,
        "latest": rows[0] if rows else None,
        "corrections": recent,
        "correction_count": RoutingCorrection.objects.filter(community=community).count(),
        "min_corrections": min_corrections(),
    }


def local_only(router: Router | None, rows) -> set[int]:
    """Ids among `rows` (id, community id, text, chosen unit) of the corrections that make up a community's own rule
    (a correction with at least the minimum of similar corrections of that community to one unit, and those
    similar to it) and that no other community shares (no similar correction of another community to that unit).
    The shared retrain leaves them out, so one community's peculiarity (its lifts handled by another organisation)
    does not move every community's model; its local rule serves it instead. Without a model to compare texts
    with, none."""
    rows = list(rows)
    if router is None or not rows:
        return set()
    need = min_corrections()
    by_unit: dict[str, list[int]] = {}
    for i, (_, _, _, chosen) in enumerate(rows):
        by_unit.setdefault(chosen, []).append(i)
    out = set()
    for idx in by_unit.values():
        communities = np.array([rows[i][1] or 0 for i in idx])
        matrix = router.vectorizer.transform([m.normalise(rows[i][2]) for i in idx])
        similar = (matrix @ matrix.T).toarray() >= LOCAL_MATCH
        own = communities[:, None] == communities[None, :]
        # A rule's core: a correction with the minimum of similar ones in its community; its members: the core
        # and what is similar to a core correction of the same community (as a local rule would match them).
        core = (similar & own).sum(axis=1) >= need
        member = (similar & own & core[None, :]).any(axis=1)
        shared = (similar & ~own).any(axis=1)
        out.update(rows[i][0] for k, i in enumerate(idx) if communities[k] and member[k] and not shared[k])
    return out
