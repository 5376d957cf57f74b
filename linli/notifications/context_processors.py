import functools

from linli.notifications.models import Notification


def unread_messages(request):
    """The header's 消息 count: one COUNT on an index, paid only by pages that show the header (templates call the
    cached callable)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_messages": functools.cache(lambda: Notification.objects.for_user(user).unread().count())}
