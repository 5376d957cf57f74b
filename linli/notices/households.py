"""Fixing the households a notice reaches when it is sent, and which of them need a grid worker at the door.

A household needs a visit (需上门告知) when nobody living there can read a message on a phone: every active resident
of the household is tagged 不会用智能手机 or is at least LINLI_NOTICE_DOOR_AGE (80) years old. A household with an
85-year-old and her 50-year-old son is told through the son. Staff may change the flag per household afterwards
(services.set_needs_door).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from linli.notices.audience import _years_before
from linli.notices.models import Notice, NoticeHousehold

#: The tag of residents who cannot use a smartphone (linli.residents.defaults).
NO_SMARTPHONE_TAG = "no_smartphone"
BATCH = 5000


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
    its residents the notice reaches and whether it needs a visit. Returns (residents, households)."""
    from linli.areas.models import Household

    today = today or timezone.localdate()
    per_household = dict(
        residents.order_by().values("household_id").annotate(n=Count("id")).values_list("household_id", "n")
    )
    if not per_household:
        return 0, 0
    households = (
        Household.objects.filter(pk__in=residents.order_by().values("household_id"))
        .annotate(
            able=Count("residents", filter=Q(residents__status="active") & able_q(today, "residents__")),
        )
        .values_list(
            "pk", "building_id", "building__grid_id", "building__community_id", "building__community__street_id", "able"
        )
    )
    rows = []
    written = 0
    for pk, building_id, grid_id, community_id, street_id, able in households.iterator(chunk_size=BATCH):
        rows.append(
            NoticeHousehold(
                notice=notice,
                household_id=pk,
                building_id=building_id,
                grid_id=grid_id,
                community_id=community_id,
                street_id=street_id,
                resident_count=per_household.get(pk, 0),
                needs_door=able == 0,
            )
        )
        if len(rows) >= BATCH:
            NoticeHousehold.objects.bulk_create(rows, ignore_conflicts=True)
            written += len(rows)
            rows = []
    if rows:
        NoticeHousehold.objects.bulk_create(rows, ignore_conflicts=True)
        written += len(rows)
    return sum(per_household.values()), written
