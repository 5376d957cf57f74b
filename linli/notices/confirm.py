"""Who actually got a notice: confirmations per household (NoticeHousehold.confirmed_via).

A household is told when a resident of it reads the notice in Linli (record_read), or when a grid worker marks it
已电话告知 / 已当面告知 / 已张贴. The first confirmation stands; later ones do not overwrite it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.notices.choices import ConfirmVia, NoticeStatus
from linli.notices.models import Notice, NoticeHousehold, NoticeRead


@transaction.atomic
def record_read(notice: Notice, user) -> bool:
    """The signed-in user opened a sent notice: remember it once, and for a resident count their household as told
    (线上已读). Returns True the first time."""
    if notice.status != NoticeStatus.SENT or not getattr(user, "pk", None):
        return False
    try:
        with transaction.atomic():
            NoticeRead.objects.create(notice=notice, user=user)
    except IntegrityError:
        return False
    if user.resident_id:
        household = user.resident.household_id
        NoticeHousehold.objects.filter(notice=notice, household_id=household, confirmed_via="").update(
            confirmed_via=ConfirmVia.READ, confirmed_at=timezone.now(), confirmed_by=user
        )
    return True
