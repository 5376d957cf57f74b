"""Retention of change and audit records, and `linli purge-records`.

The Cybersecurity Law (网络安全法, 2017) art. 21(3) requires an operator to "monitor and record the network's
running state and security events, and keep the network logs for no less than six months". Linli keeps every
change and audit record at least LINLI_AUDIT_RETENTION_DAYS (default and floor: 180 days); no page, API, admin
or role deletes them; only `linli purge-records` (monthly from Celery beat) deletes what is older, in batches,
and records that it ran (a PurgeRun row with the counts per table, and a change record of it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction

MIN_RETENTION_DAYS = 180
BATCH = 5000

#: The change and audit records (model label, time field, what it is). Business histories kept with their object
#: (AppealEvent, WishEvent, ErrandEvent, BallotChange…) are not purged: they are part of the record they describe.
AUDIT_RECORDS = (
    ("core.ChangeRecord", "at", "变更记录（谁在何时改了什么）"),
    ("core.ExportRecord", "at", "导出记录（谁导出了哪些个人信息）"),
    ("residents.RevealRecord", "at", "查看记录（谁查看了完整身份证号/手机号）"),
    ("axes.AccessLog", "attempt_time", "登录记录（登录、退出）"),
    ("axes.AccessFailureLog", "attempt_time", "登录失败记录"),
)


class RetentionError(Exception):
    pass


def retention_problem(value) -> str | None:
    """Why a LINLI_AUDIT_RETENTION_DAYS value is refused (Chinese), or None."""
    if not isinstance(value, int) or isinstance(value, bool):
        return f"LINLI_AUDIT_RETENTION_DAYS 必须是整数天数，现为 {value!r}"
    if value < MIN_RETENTION_DAYS:
        return (
            f"LINLI_AUDIT_RETENTION_DAYS 不能少于 {MIN_RETENTION_DAYS} 天（现为 {value}）："
            "《网络安全法》第二十一条要求网络日志留存不少于六个月"
        )
    return None


def retention_days() -> int:
    value = getattr(settings, "LINLI_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)
    problem = retention_problem(value)
    if problem:
        raise RetentionError(problem)
    return value


def audit_models():
    for label, field, what in AUDIT_RECORDS:
        try:
            yield apps.get_model(label), field, what
        except LookupError:  # an app not installed (axes in a trimmed settings)
            continue


@dataclass
class PurgeResult:
    cutoff: datetime.datetime
    retention_days: int
    counts: dict[str, int]
    dry_run: bool
    run: object | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def purge_records(*, actor: Actor, dry_run: bool = False, now=None, batch: int = BATCH) -> PurgeResult:
    """Delete the audit records older than the retention, `batch` rows per transaction; record the run."""
    from linli.ops.models import PurgeRun

    days = retention_days()
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    counts: dict[str, int] = {}
    for model, field, _ in audit_models():
        old = model._base_manager.filter(**{f"{field}__lt": cutoff})
        table = model._meta.db_table
        if dry_run:
            counts[table] = old.count()
            continue
        counts[table] = 0
        while True:
            with transaction.atomic():
                pks = list(old.order_by("pk").values_list("pk", flat=True)[:batch])
                if not pks:
                    break
                model._base_manager.filter(pk__in=pks).delete()
            counts[table] += len(pks)
    result = PurgeResult(cutoff, days, counts, dry_run)
    if not dry_run:
        with transaction.atomic():
            run = PurgeRun.objects.create(
                actor_label=(actor.label or str(actor.user or ""))[:64],
                retention_days=days,
                cutoff=cutoff,
                counts=counts,
            )
            audit.record(run, ChangeAction.CREATE, None, audit.snapshot(run), actor, note=f"清理 {result.total} 行")
        result.run = run
    return result
