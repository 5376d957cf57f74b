"""What the home page and a resident's own page show of 通知公告 (registered in shell.py), and the channels'
sending progress on a notice's page."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from linli.notices.choices import NoticeStatus
from linli.notices.models import Notice, NoticeRead

HOME_LATEST = 5
SELF_LATEST = 10


def staff_block(user) -> dict | None:
    """The latest sent notices of the user's communities and their own drafts; nothing when there is neither."""
    notices = Notice.objects.restrict(user)
    latest = list(
        notices.filter(status=NoticeStatus.SENT).select_related("community").order_by("-sent_at", "-id")[:HOME_LATEST]
    )
    drafts = notices.filter(status=NoticeStatus.DRAFT, created_by=user).count()
    if not latest and not drafts:
        return None
    return {"latest": latest, "drafts": drafts}


def self_block(user) -> dict | None:
    """The notices that reached the resident's household, unread first (withdrawn ones are gone: restrict_self)."""
    if not user.resident_id:
        return None
    read = NoticeRead.objects.filter(notice_id=OuterRef("pk"), user_id=user.pk)
    notices = list(
        Notice.objects.restrict(user)
        .annotate(was_read=Exists(read))
        .order_by("was_read", "-sent_at", "-id")[:SELF_LATEST]
    )
    return {"notices": notices, "unread": sum(1 for n in notices if not n.was_read)}


def dispatch_context(user, notice) -> dict | None:
    """The channels' sending progress (linli.channels.panels, written alongside); nothing for a draft."""
    if notice.status == NoticeStatus.DRAFT:
        return None
    from linli.channels.panels import dispatch_panel

    return dispatch_panel(user, "notices.notice", notice.pk)


# --- the residents' Linli (居民端) ----------------------------------------------------------------------------------


def self_tile(user) -> dict | None:
    """我楼的通知: the notices that reached the household; the badge counts the unread ones."""
    block = self_block(user)
    if block is None:
        return None
    from django.urls import reverse

    note = f"最新：{block['notices'][0].title}" if block["notices"] else "暂时没有给您家的通知"
    return {
        "url": reverse("residents:my_section", args=["notices.mine"]),
        "count": block["unread"] or None,
        "note": note,
    }


def elder_block(user, elder) -> dict:
    """A family helper reads the notices that reached the elder's household, whole, read-only (called by
    linli.residents only for an agreed link; the helper's own account could not open these notices' pages)."""
    from linli.notices.models import NoticeHousehold

    reached = NoticeHousehold.objects.filter(household_id=elder.household_id).values("notice_id")
    notices = list(
        Notice.objects.filter(status=NoticeStatus.SENT, pk__in=reached).order_by("-sent_at", "-id")[:SELF_LATEST]
    )
    return {"notices": notices, "elder": elder}
