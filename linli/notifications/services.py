"""Sending and reading messages. Producers call `notify`; nothing else writes Notification rows."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.notifications.models import Notification


def notify(
    users: Iterable[User], *, kind: str, title: str, body: str = "", url: str = "", key: str | None = None
) -> int:
    """Put one message in each user's inbox; with `key`, a user who already has that key gets nothing new.

    Returns how many messages were created. Inactive accounts are skipped.
    """
    recipients = {u.pk: u for u in users if u.is_active}
    if not recipients:
        return 0
    if key is not None:
        told = set(Notification.objects.filter(user_id__in=recipients, key=key).values_list("user_id", flat=True))
        recipients = {pk: u for pk, u in recipients.items() if pk not in told}
    rows = [
        Notification(user_id=pk, kind=kind, title=title[:200], body=body, url=url[:300], key=key) for pk in recipients
    ]
    # ignore_conflicts: a concurrent sender with the same key loses quietly instead of failing its transaction.
    Notification.objects.bulk_create(rows, ignore_conflicts=key is not None)
    return len(rows)


@transaction.atomic
def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's messages read (all unread ones when `ids` is None); other users' ids are ignored."""
    qs = Notification.objects.for_user(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
