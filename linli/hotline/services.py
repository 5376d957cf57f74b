"""Writes of the hotline app: committing an import, keeping appeals within the hotline's deadline.

commit_import() is the only way work orders become appeals: each through
linli.appeals.services.create_appeal (so an imported appeal is one entered by hand, with its event
and scope checks), all of them in ONE transaction. A failure on any row rolls back every row.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from linli.appeals import services as appeal_services
from linli.appeals.choices import Channel, EventAction
from linli.core.audit import Actor
from linli.hotline.importer import HotlineFileError, HotlineReport, check
from linli.hotline.models import HotlineImport, HotlineOrder

#: pg_advisory_xact_lock key of hotline commits ("12345" work order numbers are global: one lock for all).
_LOCK_KEY = 0x484F544C << 32 | 12345


class ImportConflict(Exception):
    """Another import wrote one of these order numbers at the same time; nothing of this one was written."""


def commit_import(
    table, mapping, community, *, actor: Actor, batch: HotlineImport | None = None, strict: bool = False
) -> HotlineReport:
    """Check every row again inside one transaction and create an appeal and a HotlineOrder for each
    accepted row. With `strict`, nothing is written when any row is rejected (report.dry_run stays True).

    Commits are serialised on PostgreSQL (an advisory lock), so two imports of the same file one after
    the other skip what the first wrote; the unique order number is the last guard (SQLite, or a
    writer that did not take the lock): the whole import is then rolled back with ImportConflict.
    """
    user = actor.user
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
            report, records = check(table, mapping, community, user=user)
            if strict and report.errors:
                return report
            for record in records:
                try:
                    appeal = appeal_services.create_appeal(
                        actor=actor,
                        text=record.text,
                        channel=Channel.HOTLINE,
                        category=record.category,
                        reporter=record.reporter,
                        reporter_name=record.contact,
                        reporter_phone=record.phone,
                        anonymous=not (record.contact or record.phone or record.reporter),
                        community=community,
                        building=record.building,
                        household=record.household,
                        address=record.address,
                        received_at=record.received_at,
                        external_due=record.due_at,
                    )
                except ValidationError as exc:
                    messages = "；".join(exc.messages)
                    raise HotlineFileError(
                        f"第{record.row}行（工单编号{record.order_no}）无法登记：{messages}。没有导入任何数据。"
                    ) from exc
                HotlineOrder.objects.create(
                    order_no=record.order_no,
                    appeal=appeal,
                    community=community,
                    due_at=record.due_at,
                    raw=record.raw,
                    batch=batch,
                )
                due = timezone.localtime(record.due_at)
                appeal_services._event(
                    appeal,
                    actor,
                    EventAction.PROGRESS,
                    appeal.status,
                    note=f"12345工单 {record.order_no}，办理时限 {due:%Y-%m-%d %H:%M}",
                    internal=True,
                )
            report.dry_run = False
    except IntegrityError as exc:
        raise ImportConflict(
            "有工单编号刚刚被另一次导入写入（可能同时导入了同一个文件），本次导入没有写入任何数据。"
            "请重新检查：已导入的工单会显示为“已导入，跳过”。"
        ) from exc
    return report
