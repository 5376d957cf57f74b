import functools

from django.urls import reverse


def navigation(request):
    """Top navigation: only the sections the user's role can open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [("core:home", "首页", None)]
    if user.has_role_perm("resident.view"):
        items.append(("residents:resident_list", "居民", None))
    if user.has_role_perm("visit.view"):
        items.append(("visits:worklist", "今日走访", None))
    if user.has_role_perm("diary.view"):
        items.append(("visits:diary_list", "民情日记", None))
    if user.has_role_perm("visit.coverage"):
        items.append(("visits:coverage", "走访统计", None))
    if user.has_role_perm("area.view"):
        items.append(("areas:area_tree", "区域", None))
    if user.has_role_perm("ledger.import"):
        items.append(("ledgers:import_list", "导入台账", None))
    if user.has_role_perm("tag.manage"):
        items.append(("residents:tag_list", "标签", None))
    if user.has_role_perm("resident.view_self") and user.resident_id:
        items.append(("residents:my_record", "我的信息", None))
    if user.has_role_perm("user.manage"):
        items.append(("accounts:user_list", "账号", None))
    items.append(("accounts:token_list", "接口令牌", None))
    path = request.path
    nav = []
    for name, label, _ in items:
        url = reverse(name)
        nav.append({"url": url, "label": label, "active": url != "/" and path.startswith(url) or path == url})
    return {
        "nav_items": nav,
        "can_search_residents": user.has_role_perm("resident.view"),
        "unread_messages": functools.cache(lambda: _unread_count(user)),
    }


def _unread_count(user) -> int:
    """One COUNT on an index, paid only by pages that show the header (templates call the cached callable)."""
    from linli.notifications.models import Notification

    return Notification.objects.for_user(user).unread().count()
