"""Fixing the households a notice reaches when it is sent, and which of them need a grid worker at the door.

A household needs a visit (需上门告知) when nobody living there can read a message on a phone: every active resident
of the household is tagged 不会用智能手机 or is at least LINLI_NOTICE_DOOR_AGE (80) years old. A household with an
85-year-old and her 50-year-old son is told through the son. Staff may change the flag per household afterwards
(services.set_needs_door).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, ExpressionWrapper, F, Func, IntegerField, OuterRef, Q, Sum
from django.utils import timezone

from linli.notices.audience import _years_before
from linli.notices.models import Notice, NoticeHousehold

#: The tag of residents who cannot use a smartphone (linli.residents.defaults).
NO_SMARTPHONE_TAG = "no_smartphone"


def door_age() -> int:
    return int(getattr(settings, "LINLI_NOTICE_DOOR_AGE", 80))


def able_q(today: datetime.date, prefix: str = "") -> Q:
    """Residents (through `prefix`) who can be reached on a phone: not tagged 不会用智能手机, and younger than the door
    age (or of unknown age)."""
    from linli.residents.models import Resident

    untagged = Resident.tags.through.objects.filter(tag__code=NO_SMARTPHONE_TAG).values("resident_id")
    cutoff = _years_before(today, door_age())
    young = Q(**{f"{prefix}birth_date__gt": cutoff}) | Q(**{f"{prefix}birth_date__isnull": True})
    return young & ~Q(**{f"{prefix}pk__in": untagged})


def fix_households(notice: Notice, residents, *, today: datetime.date | None = None) -> tuple[int, int]:
    """Write one NoticeHousehold per household of `residents` (the notice's audience, resolved), with how many of
    its residents the notice reaches and whether it needs a visit. Returns (residents, households).

    One INSERT ... SELECT: the rows are grouped and flagged by the database and never pass through Python (a
    street-wide notice fixes tens of thousands of households; bench/notices.py)."""
    from linli.residents.models import Resident

    today = today or timezone.localdate()
    rows = (
        residents.order_by()
        .values("household_id", "building_id", "grid_id", "community_id", "street_id")
        .annotate(n=Count("id"))
    )
    select, params = rows.query.sql_with_params()
    table = NoticeHousehold._meta.db_table
    # "WHERE 1 = 1": SQLite cannot tell ON CONFLICT after a bare SELECT ... FROM from a join's ON.
    sql = (
        f"INSERT INTO {table} (notice_id, household_id, building_id, grid_id, community_id, street_id, "
        "resident_count, needs_door, confirmed_via, note) "
        "SELECT %s, sub.household_id, sub.building_id, sub.grid_id, sub.community_id, sub.street_id, sub.n, "
        f"%s, '', '' FROM ({select}) sub WHERE 1 = 1 ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (notice.pk, False, *params))
        written = cursor.rowcount
    # Then the households where nobody can be reached on a phone (a second statement: flagged inside the grouping
    # above, the planner walks the whole residents table in household order).
    # Naming the community keeps the planner on its index (a household's residents are all of its community).
    # SQLite, without statistics, would rather take (community, status) than the household's own index and walk
    # the community's residents once per household: there the community is named as "+community_id", which it
    # cannot look up in an index (the same rows, seconds faster on a demo notice of a whole community).
    if connection.vendor == "sqlite":
        community = ExpressionWrapper(Func(F("community_id"), template="+%(expressions)s"), IntegerField())
        able = Resident.objects.alias(_community=community).filter(
            household_id=OuterRef("household_id"), _community=notice.community_id, status="active"
        )
    else:
        able = Resident.objects.filter(
            household_id=OuterRef("household_id"), community_id=notice.community_id, status="active"
        )
    able = able.filter(able_q(today))
    NoticeHousehold.objects.filter(notice=notice).exclude(Exists(able)).update(needs_door=True)
    if not written:
        return 0, 0
    reached = NoticeHousehold.objects.filter(notice=notice).aggregate(n=Sum("resident_count"))["n"] or 0
    return reached, written
