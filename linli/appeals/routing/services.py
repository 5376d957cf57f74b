"""Routing suggestions with stored, versioned models: suggest, record a correction, retrain, roll back.

- The active RoutingModel row is the model every process uses. A process keeps the unpickled model and
  checks the active version at most every CHECK_SECONDS (and at once after its own train/rollback), so a
  retrain or rollback elsewhere reaches it within seconds without a query per suggestion.
- With no active row (a fresh installation) the first suggestion trains version 1 from the shipped set.
- Retraining = the shipped set (data/train.jsonl) + every community's corrections, each correction
  weighted CORRECTION_WEIGHT: a correction is a real appeal a dispatcher labelled, worth more than one
  written example, and repeated corrections of the same kind of text soon outweigh the shipped examples.
  The model is shared by all communities (per-community models would have too little data); held-out
  figures are always measured on the shipped data/heldout.jsonl so versions stay comparable.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter

import sklearn
from django.db import IntegrityError, transaction
from django.db.models import Max

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
    return m.load_examples(m.TRAIN_FILE)


def correction_examples() -> list[Example]:
    return [
        Example(text, chosen, CORRECTION_WEIGHT)
        for text, chosen in RoutingCorrection.objects.order_by("id").values_list("text", "chosen")
    ]


def heldout_examples() -> list[Example]:
    return m.load_examples(m.HELDOUT_FILE) if m.HELDOUT_FILE.exists() else []


def train_version(*, activate: bool = True, algorithm: str = m.DEFAULT_ALGORITHM) -> RoutingModel:
    """Train on the shipped set + all corrections, measure on the held-out set, store as the next version
    (and make it the active one unless activate=False)."""
    shipped = shipped_examples()
    corrections = correction_examples()
    router = m.train(shipped + corrections, algorithm=algorithm, unit_names=_unit_names())
    heldout = heldout_examples()
    metrics = m.evaluate(router, heldout) if heldout else {}
    if metrics:
        metrics["mistakes"] = metrics["mistakes"][:MAX_STORED_MISTAKES]
    trained_on = {
        "scikit_learn": sklearn.__version__,
        "shipped": len(shipped),
        "corrections": len(corrections),
        "units": dict(sorted(Counter(e.unit for e in shipped + corrections).items())),
    }
    blob = router.dumps()
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
    if activate:
        _remember(row.version, router)
    return row


def _activate(row: RoutingModel) -> None:
    RoutingModel.objects.filter(is_active=True).exclude(pk=row.pk).update(is_active=False)
    RoutingModel.objects.filter(pk=row.pk).update(is_active=True)
    row.is_active = True


def rollback(version: int) -> RoutingModel:
    """Make an earlier (or any stored) version the active one; raises RoutingModel.DoesNotExist."""
    with transaction.atomic():
        row = RoutingModel.objects.select_for_update().get(version=version)
        Router.loads(bytes(row.artifact))  # refuse a version this code can no longer load
        _activate(row)
    _forget()
    return row


def _remember(version: int, router: Router) -> None:
    with _lock:
        _cache.update(version=version, router=router, checked=time.monotonic())


def _forget() -> None:
    with _lock:
        _cache.update(version=None, router=None, checked=0.0)


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


def predict(texts) -> list[Suggestion]:
    return get_router().predict(list(texts))


def suggest(text: str | None) -> Suggestion:
    """The unit for one appeal text, with confidence, two alternatives and a reason in Chinese, e.g.
    "“楼道灯”通常由物业服务企业处理"."""
    return get_router().suggest(text)


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
