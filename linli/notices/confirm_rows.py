"""How confirmation rows are shown: the buttons each row offers a user, and the addresses of a notice's pages (shared by
the confirmation pages, the 今日走访 section and the reminders)."""

from __future__ import annotations

from django.urls import reverse

from linli.notices import confirm
from linli.notices.choices import NoticeStatus
from linli.notices.models import Notice


def decorate(rows, user):
    """What each row's buttons depend on: the told text, whether this user may undo it or change 需上门."""
    manage = user.has_role_perm("notice.manage")
    for row in rows:
        # The address (household.address) names the building the row already carries: no query per row.
        household, building = row._state.fields_cache.get("household"), row._state.fields_cache.get("building")
        if household is not None and building is not None and household.building_id == building.pk:
            household.building = building
        row.told = confirm.told_text(row) if row.confirmed_via else ""
        open_notice = row.notice.status == NoticeStatus.SENT
        row.can_mark = open_notice and row.notice.must_confirm and not row.confirmed_via
        row.can_undo = (
            open_notice and row.confirmed_via in confirm.HAND_WAYS and (manage or row.confirmed_by_id == user.pk)
        )
        row.can_door = manage and row.notice.status != NoticeStatus.WITHDRAWN
    return rows


def notice_url(notice: Notice) -> str:
    """The notice's own page (notices:notice_detail, from the notices pages); empty while that page is not there."""
    from django.urls import NoReverseMatch

    try:
        return notice.get_absolute_url()
    except NoReverseMatch:
        return ""


def list_url(notice: Notice, **filters) -> str:
    from urllib.parse import urlencode

    query = urlencode({k: v for k, v in filters.items() if v not in (None, "")})
    return reverse("notices:notice_household_list", args=[notice.pk]) + (f"?{query}" if query else "")
