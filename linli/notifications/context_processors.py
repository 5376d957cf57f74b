import functools

from linli.notifications.services import unread_count


def unread_messages(request):
    """The header's 消息 count: one COUNT on an index (kept a minute in the shared cache, forgotten by every write of
    notifications.services), paid only by pages that show the header (templates call the cached callable)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_messages": functools.cache(lambda: unread_count(user))}
