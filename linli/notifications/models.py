"""Messages to one user (站内消息): what a sweep, an alert or an appeal deadline wants someone to know.

A message is addressed to a user, not to an area, so reading it needs no scope check beyond
"it is mine". Producers pass a `key` when the same fact must not be told twice (the daily
sweep runs again, a deadline is checked every hour): (user, key) is unique.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from linli.notifications.choices import Kind


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in one user's inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="接收人"
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField("去重键", max_length=120, null=True, blank=True, editable=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread_idx")]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_user_key_unique"),
        ]

    def __str__(self):
        return self.title


def _on_notification_changed(sender, instance, **kwargs):
    """Rows saved or deleted one by one outside notifications.services (an account removed, retention) make the
    user's cached unread count stale too."""
    from linli.notifications.services import forget_unread

    forget_unread([instance.user_id])


models.signals.post_save.connect(_on_notification_changed, sender=Notification, dispatch_uid="linli.unread:save")
models.signals.post_delete.connect(_on_notification_changed, sender=Notification, dispatch_uid="linli.unread:delete")
