"""Who is told about a booking (站内消息, and a text message where the booker has no account).

- a booking waits for approval: the room's manager, else the community's staff who manage bookings;
- approved or not approved: the booking's owners;
- cancelled (one, the rest of a series, a closure of the room for a day): every booking's owners, one message per
  person however many of their bookings went; a contact phone with no account behind the booking gets one SMS.
Owners are the account that booked, the resident's own account, the volunteer team's leaders; whoever did it is
not told of their own action. A text message says the room, the time and the reason, nothing else, and is sent
after the transaction commits (a rolled-back cancellation texts nobody); a gateway failure is logged, never undoes
the cancellation.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from linli.core.phone import mask_phone
from linli.notifications.choices import Kind
from linli.notifications.services import notify

logger = logging.getLogger("linli.sms")

SMS_TEXT = "【邻里】您预约的{room}（{when}）已取消：{reason}。如有疑问请联系社区。"


def _clause(text: str) -> str:
    return (text or "").strip().rstrip("。.！!；;，,")


def _when(booking) -> str:
    start, end = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
    return f"{start:%m月%d日 %H:%M}–{end:%H:%M}"


def owners(bookings) -> dict[int, list]:
    """{booking pk: [active accounts]}: who booked, the resident's account, the team's leaders."""
    from linli.accounts.models import User
    from linli.volunteers.models import TeamMembership

    bookings = list(bookings)
    resident_ids = {b.resident_id for b in bookings if b.resident_id}
    team_ids = {b.team_id for b in bookings if b.team_id}
    by_resident = defaultdict(list)
    for user in User.objects.filter(resident_id__in=resident_ids, is_active=True):
        by_resident[user.resident_id].append(user)
    by_team = defaultdict(list)
    leaders = TeamMembership.objects.filter(
        team_id__in=team_ids, is_leader=True, volunteer__is_active=True, volunteer__user__is_active=True
    ).select_related("volunteer__user")
    for membership in leaders:
        by_team[membership.team_id].append(membership.volunteer.user)
    booked_by = {u.pk: u for u in User.objects.filter(pk__in={b.booked_by_id for b in bookings}, is_active=True)}
    found = {}
    for b in bookings:
        candidates = [booked_by.get(b.booked_by_id), *by_resident[b.resident_id], *by_team[b.team_id]]
        people = {u.pk: u for u in candidates if u}
        found[b.pk] = list(people.values())
    return found


def _mobile(phone: str) -> bool:
    return len(phone or "") == 11 and phone.isascii() and phone.isdigit() and phone.startswith("1")


def send_after_commit(phone: str, text: str) -> None:
    def send():
        from linli.tracking.sms import SmsError, send_sms

        try:
            send_sms(phone, text)
        except SmsError:
            logger.warning("SMS about a room booking to %s failed", mask_phone(phone))
        except Exception:  # a backend bug must not surface in the request that committed the cancellation
            logger.exception("SMS about a room booking to %s failed", mask_phone(phone))

    transaction.on_commit(send, robust=True)


def cancelled(bookings, *, reason: str, actor_user, closure: bool) -> int:
    """Tell everyone whose booking went; returns how many people (accounts and phones) were told."""
    bookings = list(bookings)
    if not bookings:
        return 0
    who = owners(bookings)
    per_user: dict[int, tuple] = {}
    phones: dict[str, list] = defaultdict(list)
    for b in bookings:
        people = [u for u in who[b.pk] if actor_user is None or u.pk != actor_user.pk]
        for user in people:
            per_user.setdefault(user.pk, (user, []))[1].append(b)
        if not who[b.pk] and _mobile(b.contact_phone):
            phones[b.contact_phone].append(b)
    told = 0
    for user, mine in per_user.values():
        first = mine[0]
        title = f"{'功能室闭馆，' if closure else ''}预约已取消：{first.room.name} {_when(first)}"
        if len(mine) > 1:
            title += f" 等{len(mine)}次"
        lines = "；".join(f"{b.room.name} {_when(b)}" for b in mine[:10])
        url = reverse("places:booking_detail", args=[first.pk]) if len(mine) == 1 else reverse("places:my_bookings")
        body = f"以下预约已取消：{lines}{' 等' if len(mine) > 10 else ''}。原因：{_clause(reason)}。"
        told += notify([user], kind=Kind.SYSTEM, title=title, body=body, url=url) and 1
    for phone, mine in phones.items():
        first = mine[0]
        when = _when(first) + (f" 等{len(mine)}次" if len(mine) > 1 else "")
        send_after_commit(phone, SMS_TEXT.format(room=first.room.name, when=when, reason=_clause(reason)[:40]))
        told += 1
    return told


def decided(booking, *, actor_user) -> int:
    """An approval or a refusal, to the booking's owners."""
    from linli.places.choices import BookingStatus

    people = [u for u in owners([booking])[booking.pk] if actor_user is None or u.pk != actor_user.pk]
    if booking.status == BookingStatus.CONFIRMED:
        title = f"功能室预约已通过审核：{booking.room.name} {_when(booking)}"
        body = "请按时使用，如不能前来请提前取消。"
    else:
        title = f"功能室预约未通过审核：{booking.room.name} {_when(booking)}"
        body = f"原因：{_clause(booking.cancel_reason)}。可以换一个时间或功能室再预约。"
    url = reverse("places:booking_detail", args=[booking.pk])
    return notify(people, kind=Kind.SYSTEM, title=title, body=body, url=url, key=f"booking-decided:{booking.pk}")


def approvers(room) -> list:
    """Who approves the room's bookings: its manager, else the community's staff and secretaries."""
    if room.manager_id and room.manager.is_active:
        return [room.manager]
    from linli.accounts.choices import Role
    from linli.accounts.directory import users_assigned
    from linli.accounts.roles import ROLE_PERMISSIONS

    roles = tuple(r for r, perms in ROLE_PERMISSIONS.items() if "booking.manage" in perms and r != Role.STREET_ADMIN)
    return users_assigned(role=roles, community_ids=[room.community_id])


def approval_asked(booking) -> int:
    return notify(
        approvers(booking.room),
        kind=Kind.SYSTEM,
        title=f"有功能室预约待审核：{booking.room.name} {_when(booking)}",
        body=f"{booking.booker_name}预约{booking.room.name}，用途：{booking.purpose}，预计{booking.expected_attendance}人。",
        url=reverse("places:booking_detail", args=[booking.pk]),
        key=f"booking-asked:{booking.pk}",
    )
