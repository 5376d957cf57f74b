"""Routing suggestions with stored, versioned models: suggest, record a correction, retrain, roll back.

- The active RoutingModel row is the model every process uses. A process keeps the unpickled model and
  checks the active version at most every CHECK_SECONDS (and at once after its own train/rollback), so a
  retrain or rollback elsewhere reaches it within seconds without a query per suggestion.
- With no active row (a fresh installation) the first suggestion trains version 1 from the shipped set.
- Retraining = the shipped set (data/train.jsonl) + every community's corrections, each correction
  weighted CORRECTION_WEIGHT: a correction is a real appeal a dispatcher labelled, worth more than one
  written example, and repeated corrections of the same kind of text soon outweigh the shipped examples.
  The model is shared by all communities; a community's own peculiarities are local rules on top of it
  (learning.py), left out of the shared retrain. A retrained version is refused when it is worse on the
  check set (learning.check_report); held-out figures are always measured on the shipped files.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter

import sklearn
from django.db import IntegrityError, transaction
from django.db.models import Max

from linli.appeals.routing import learning
from linli.appeals.routing import model as m
from linli.appeals.routing.model import Example, Router, Suggestion
from linli.appeals.routing.models import RoutingCorrection, RoutingModel

logger = logging.getLogger(__name__)

CORRECTION_WEIGHT = 3.0
CHECK_SECONDS = 5.0
MAX_STORED_MISTAKES = 50

_lock = threading.Lock()
_cache: dict = {"version": None, "router": None, "checked": 0.0}


def _unit_names() -> dict[str, str]:
    """Unit names as the administrators named them, over the defaults (codes are stable, names editable)."""
    from linli.appeals.models import HandlingUnit

    names = m.default_unit_names()
    names.update(dict(HandlingUnit.objects.values_list("code", "name")))
    return names


def shipped_examples() -> list[Example]:
    if not m.TRAIN_FILE.exists():
        raise FileNotFoundError(f"没有找到内置训练集 {m.TRAIN_FILE}")
    return m.load_training()


def correction_examples(router: Router | None = None) -> list[Example]:
    """Every correction, weighted; with the active model (router), without those that only make up one
    community's own rule (learning.local_only: its local rule serves that community, the others keep the model)."""
    rows = list(RoutingCorrection.objects.order_by("id").values_list("id", "community_id", "text", "chosen"))
    local = learning.local_only(router, rows)
    return [Example(text, chosen, CORRECTION_WEIGHT) for pk, _, text, chosen in rows if pk not in local]


def heldout_examples() -> list[Example]:
    return m.load_examples(m.HELDOUT_FILE) if m.HELDOUT_FILE.exists() else []


def train_version(
    *, activate: bool = True, algorithm: str = m.DEFAULT_ALGORITHM, actor=None, tolerance: float | None = None
) -> RoutingModel:
    """Train on the shipped set + all corrections, measure on the held-out set, store as the next version with
    the check report (metrics["report"], learning.check_report) and make it the active one unless activate=False
    or it measures worse on the check set than the active version (then it is stored refused, the active one
    stays). A change record names the actor (default: the system)."""
    shipped = shipped_examples()
    previous, previous_version = _active_for_check()
    corrections = correction_examples(previous)
    router = m.train(shipped + corrections, algorithm=algorithm, unit_names=_unit_names())
    heldout = heldout_examples()
    metrics = m.evaluate(router, heldout) if heldout else {}
    if metrics:
        metrics["mistakes"] = metrics["mistakes"][:MAX_STORED_MISTAKES]
    report = learning.check_report(router, previous, previous_version, tolerance=tolerance)
    report["decision"] = "activated" if activate and report["ok"] else ("refused" if activate else "stored")
    metrics["report"] = report
    trained_on = {
        "scikit_learn": sklearn.__version__,
        "shipped": len(shipped),
        "corrections": len(corrections),
        "local_only": RoutingCorrection.objects.count() - len(corrections),
        "units": dict(sorted(Counter(e.unit for e in shipped + corrections).items())),
    }
    blob = router.dumps()
    activate = activate and report["ok"]
    with transaction.atomic():
        # Serialise version numbers: lock the newest row (an empty table has nothing to lock; the unique
        # version then decides).
        list(RoutingModel.objects.select_for_update().order_by("-version").values_list("id", flat=True)[:1])
        version = (RoutingModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
        row = RoutingModel.objects.create(
            version=version, algorithm=algorithm, metrics=metrics, trained_on=trained_on, artifact=blob
        )
        if activate:
            _activate(row)
        _record(row, actor, {"启用": row.is_active, "纠正": len(corrections)}, report["reason"])
    if activate:
        _remember(row.version, router)
    return row


def _active_for_check() -> tuple[Router | None, int | None]:
    """The active model (to compare a retrained one with), or (None, None) when there is none or it no longer loads."""
    version = RoutingModel.objects.filter(is_active=True).values_list("version", flat=True).first()
    if version is None:
        return None, None
    if _cache["version"] == version and _cache["router"] is not None:
        return _cache["router"], version
    try:
        return Router.loads(bytes(RoutingModel.objects.get(version=version).artifact)), version
    except Exception:
        return None, None


def _record(row: RoutingModel, actor, after: dict, note: str, before: dict | None = None) -> None:
    from linli.core.audit import Actor, record
    from linli.core.models import ChangeAction

    action = ChangeAction.CREATE if before is None else ChangeAction.UPDATE
    record(row, action, before, after, actor or Actor.system("分派模型训练"), note=note)


def retrain_if_needed(*, tolerance: float | None = None, actor=None) -> tuple[RoutingModel | None, str]:
    """The scheduled retrain (nightly): nothing when no correction arrived since the active version was trained;
    otherwise train a new version, activated only if it does not measure worse on the check set than the active
    one (a bad batch of corrections is stored refused, for inspection, not served). Returns (row, message)."""
    active = RoutingModel.objects.defer("artifact").filter(is_active=True).first()
    if active is not None and not RoutingCorrection.objects.filter(created_at__gt=active.created_at).exists():
        return None, f"自 v{active.version} 以来没有新的分派纠正，无需重新训练。"
    row = train_version(activate=True, tolerance=tolerance, actor=actor)
    report = row.metrics["report"]
    if not row.is_active:
        logger.warning("routing v%s refused: %s", row.version, report["reason"])
        return row, f"v{row.version} {report['reason']}核对纠正后可用 linli route-train --rollback {row.version} 启用。"
    return row, f"已启用 v{row.version}（{report['reason']}）"


def _activate(row: RoutingModel) -> None:
    RoutingModel.objects.filter(is_active=True).exclude(pk=row.pk).update(is_active=False)
    RoutingModel.objects.filter(pk=row.pk).update(is_active=True)
    row.is_active = True


def rollback(version: int, *, actor=None) -> RoutingModel:
    """Make an earlier (or any stored, also a refused) version the active one; raises RoutingModel.DoesNotExist."""
    with transaction.atomic():
        row = RoutingModel.objects.select_for_update().get(version=version)
        Router.loads(bytes(row.artifact))  # refuse a version this code can no longer load
        was_active = row.is_active
        _activate(row)
        _record(row, actor, {"启用": True}, f"启用 v{version}", before={"启用": was_active})
    _forget()
    return row


def _remember(version: int, router: Router) -> None:
    with _lock:
        _cache.update(version=version, router=router, checked=time.monotonic())


def _forget() -> None:
    """Drop the loaded model and the communities' correction vectors made with it (a test database reuses ids,
    so a vector cached for one database's correction 1 must not answer for another's)."""
    with _lock:
        _cache.update(version=None, router=None, checked=0.0)
    learning.forget()


def warm_up() -> None:
    """Load the active model into this process (linli.wsgi.warm_up, at server start); never trains one: with no
    active model yet, the first suggestion trains version 1 as before."""
    if RoutingModel.objects.filter(is_active=True).exists():
        get_router()


def get_router(*, refresh: bool = False) -> Router:
    """The active model, unpickled once per process and version; trains version 1 if there is none."""
    now = time.monotonic()
    if not refresh and _cache["router"] is not None and now - _cache["checked"] < CHECK_SECONDS:
        return _cache["router"]
    active = RoutingModel.objects.filter(is_active=True).values_list("version", flat=True).first()
    if active is not None and active == _cache["version"] and _cache["router"] is not None:
        _cache["checked"] = now
        return _cache["router"]
    if active is None:
        try:
            row = train_version(activate=True)
        except IntegrityError:  # another process trained it at the same moment
            row = RoutingModel.objects.get(is_active=True)
    else:
        row = RoutingModel.objects.get(version=active)
    try:
        router = Router.loads(bytes(row.artifact))
    except Exception:
        # Stored by an older release (another normalisation or scikit-learn version): retrain from the
        # same data rather than fail every suggestion; the old row stays for the record.
        logger.warning("routing model v%s cannot be loaded; retraining", row.version, exc_info=True)
        row = train_version(activate=True)
        router = Router.loads(bytes(row.artifact))
    router.unit_names.update(_unit_names())
    _remember(row.version, router)
    return router


def min_confidence() -> float:
    """LINLI_ROUTING_MIN_CONFIDENCE: below it a suggestion needs a person's judgement (需人工判断)."""
    from django.conf import settings

    return float(getattr(settings, "LINLI_ROUTING_MIN_CONFIDENCE", 0.5))


def _judged(suggestion: Suggestion) -> Suggestion:
    suggestion.needs_review = suggestion.confidence < min_confidence()
    return suggestion


def predict(texts) -> list[Suggestion]:
    return [_judged(s) for s in get_router().predict(list(texts))]


def suggest_many(items) -> list[Suggestion]:
    """suggest() for many (text, community) pairs at once (a queue page): one batch through the model, then each
    community's corrections; no explanation (keywords) is computed."""
    items = list(items)
    router = get_router()
    suggestions = router.predict([text for text, _ in items], explain=False)
    out = []
    for (text, community), suggestion in zip(items, suggestions):
        community_id = getattr(community, "pk", community)
        if community_id:
            suggestion = _community_override(router, suggestion, text, int(community_id))
        out.append(_judged(suggestion))
    return out


def suggest(text: str | None, *, community=None) -> Suggestion:
    """The unit for one appeal text, with confidence, two alternatives and a reason in Chinese, e.g.
    "“楼道灯”通常由物业服务企业处理".

    With a community (row or id), that community's own corrections count at once, before any retrain: when
    its dispatchers sent a very similar text to another unit, that unit is suggested (see
    `_community_override`)."""
    router = get_router()
    suggestion = router.suggest(text)
    community_id = getattr(community, "pk", community)
    if community_id:
        suggestion = _community_override(router, suggestion, text, int(community_id))
    return _judged(suggestion)


def _community_override(router: Router, suggestion: Suggestion, text: str | None, community_id: int) -> Suggestion:
    """The community's (or its street's) local rule on top of the model: see learning.local_rule."""
    return learning.apply_local(router, suggestion, text, community_id, _cache["version"])


def _code(unit) -> str:
    return str(getattr(unit, "code", unit) or "")


def record_correction(appeal, suggested, chosen, *, text: str | None = None, community=None):
    """Keep a dispatcher's correction (suggested → chosen unit; codes or HandlingUnit rows) as training
    data for the next retrain. Returns the RoutingCorrection, or None when nothing was corrected."""
    suggested_code, chosen_code = _code(suggested), _code(chosen)
    if not chosen_code or chosen_code == suggested_code:
        return None
    text = text if text is not None else getattr(appeal, "text", "")
    if not (text or "").strip():
        return None
    if community is None and appeal is not None:
        community = appeal.community
    return RoutingCorrection.objects.create(
        appeal=appeal, community=community, text=text, suggested=suggested_code, chosen=chosen_code
    )


# --- the category within the suggested unit (issue 14: one-step dispatch) ------------------------------------


def category_candidates(unit, community_id: int | None) -> list:
    """The active categories that go to `unit` in the community, in the directory's order: those whose default
    unit it is and that the community does not route elsewhere, and those the community routes to it."""
    from linli.appeals.models import Category, CategoryRoute

    routes = dict(
        CategoryRoute.objects.filter(community_id=community_id).values_list("category_id", "unit_id")
        if community_id
        else ()
    )
    categories = Category.objects.filter(is_active=True).order_by("sort", "id")
    return [c for c in categories if routes.get(c.pk, c.unit_id) == unit.pk]


def suggest_category(text: str | None, unit, *, community=None):
    """(Category, matched words) for an appeal text already judged to go to `unit`, or (None, []) when the unit
    has no active category. Words empty: nothing in the text matched, the unit's first category is a guess."""
    from linli.appeals.defaults import CATEGORY_KEYWORDS
    from linli.appeals.routing.categories import Candidate, choose

    community_id = getattr(community, "pk", community)
    categories = category_candidates(unit, community_id)
    choice = choose(text, [Candidate(c.code, c.name, CATEGORY_KEYWORDS.get(c.code, "")) for c in categories])
    if choice is None:
        return None, []
    return next(c for c in categories if c.code == choice.code), choice.words
