"""Sending and reading messages. Producers call `notify`; nothing else writes Notification rows."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
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
    forget_unread(recipients)
    return len(rows)


@transaction.atomic
def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's messages read (all unread ones when `ids` is None); other users' ids are ignored."""
    qs = Notification.objects.for_user(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    changed = qs.update(read_at=timezone.now())
    forget_unread([user.pk])
    return changed


#: seconds the header's unread count is kept (writes through this module forget it at once)
UNREAD_SECONDS = 60


def _unread_key(user_id: int) -> str:
    return f"linli:unread:{user_id}"


def unread_count(user: User) -> int:
    """The header's 消息 count, kept in the shared cache per user (every page shows it)."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.for_user(user).unread().count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def forget_unread(user_ids: Iterable[int]) -> None:
    """These users' counts are stale: now, and again when the transaction commits (a page that counted before the
    commit must not keep the old number)."""
    keys = [_unread_key(pk) for pk in user_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
