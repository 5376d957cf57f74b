import functools

from django.urls import reverse

from linli.accounts.roles import API_ROLES, DAILY_PAGES

#: Session key a view sets after saving a form that keeps a draft in the browser (see linli.js data-draft).
DRAFT_CLEAR_SESSION_KEY = "linli_draft_clear"


def _menu(user):
    """(group label, [(url name, label)]) for the sections this user's role can open; empty groups are dropped."""
    can = user.has_role_perm
    residents = [
        ("residents:resident_list", "居民", can("resident.view")),
        ("areas:area_tree", "区域与楼栋", can("area.view")),
        ("residents:tag_list", "人员标签", can("tag.manage")),
        ("ledgers:import_list", "导入台账", can("ledger.import")),
        ("residents:my_record", "我的信息", can("resident.view_self") and user.resident_id),
    ]
    visits = [
        ("visits:worklist", "今日走访", can("visit.view")),
        ("visits:diary_list", "民情日记", can("diary.view")),
        ("visits:coverage", "走访统计", can("visit.coverage")),
        ("visits:alert_list", "走访提醒", can("visit.alerts")),
    ]
    appeals = [
        ("appeals:appeal_list", "诉求办理", can("appeal.view") or can("appeal.handle")),
        ("appeals:appeal_add", "登记诉求", can("appeal.add")),
        ("hotline:order_list", "12345工单", can("appeal.add") and can("appeal.dispatch")),
        ("appeals:appeal_stats", "诉求统计", can("appeal.stats")),
        ("appeals:problem_lists", "问题清单", can("problem.view")),
        ("appeals:unit_guide", "啥事儿该找谁", can("unit.view") or (user.role == "resident" and user.resident_id)),
        ("appeals:unit_setup", "承办单位设置", can("unit.manage")),
    ]
    volunteers = [
        ("volunteers:activity_list", "志愿活动", can("activity.view") or can("activity.signup")),
        ("volunteers:my_record", "我的志愿服务", can("volunteer.view_self")),
        ("volunteers:volunteer_list", "志愿者", can("volunteer.view")),
        ("volunteers:team_list", "服务队", can("volunteer.view")),
    ]
    lovebank = [
        ("lovebank:account_list", "积分账户", can("lovebank.view")),
        ("lovebank:deed_list", "好人好事", can("lovebank.view")),
        ("lovebank:honour_board", "光荣榜", can("lovebank.view")),
        ("lovebank:rule_list", "积分规则", can("lovebank.manage")),
        ("lovebank:my_account", "我的积分", can("lovebank.view_self") and user.resident_id),
    ]
    engagement = [
        ("wishes:wish_list", "微心愿", can("wish.view")),
        ("wishes:claimer_list", "心愿认领人", can("wish.manage")),
        ("wishes:wish_report", "心愿统计", can("wish.manage")),
        ("wishes:donation_stock", "爱心衣物", can("donation.view")),
    ]
    admin = [
        ("accounts:user_list", "账号", can("user.manage")),
        ("ledgers:export_log", "导出记录", can("export.log")),
        ("residents:reveal_list", "查看记录", can("export.log")),
        ("workdays:holiday_list", "节假日设置", can("holiday.view")),
        ("appeals:directory", "单位与类别目录", can("unit.directory")),
        ("open311:apikey_list", "Open311密钥", can("appeal.supervise")),
        ("accounts:token_list", "接口令牌", user.is_superuser or user.role in API_ROLES),
    ]
    groups = [
        ("居民", residents),
        ("走访", visits),
        ("诉求", appeals),
        ("志愿", volunteers),
        ("爱心银行", lovebank),
        ("微心愿", engagement),
        ("管理", admin),
    ]
    return [(label, [(name, text) for name, text, ok in items if ok]) for label, items in groups]


def navigation(request):
    """Top navigation, grouped into menus: only the sections the user's role can open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    nav = []
    daily_names = DAILY_PAGES.get(user.role, ())
    daily = {}
    groups = []
    for label, items in _menu(user):
        rest = []
        for name, text in items:
            if name in daily_names:
                daily[name] = text
            else:
                rest.append((name, text))
        groups.append((label, rest))
    # The role's daily pages come first, as plain links (on a phone, the top of the opened menu).
    for name in daily_names:
        if name in daily:
            url = reverse(name)
            nav.append({"url": url, "label": daily[name], "active": path == url or path.startswith(url)})
    for label, items in groups:
        links = []
        for name, text in items:
            url = reverse(name)
            links.append({"url": url, "label": text, "active": path == url or (url != "/" and path.startswith(url))})
        if not links:
            continue
        # A group with one page is a plain link (a resident sees just "我的信息").
        if len(links) == 1:
            nav.append(links[0])
        else:
            nav.append({"label": label, "children": links, "active": any(link["active"] for link in links)})
    return {
        # A saved form's local draft (linli.js data-draft) is cleared by the first page rendered after the save.
        "draft_clear": request.session.pop(DRAFT_CLEAR_SESSION_KEY, "") if hasattr(request, "session") else "",
        "nav_items": nav,
        "can_search_residents": user.has_role_perm("resident.view"),
        "unread_messages": functools.cache(lambda: _unread_count(user)),
    }


def _unread_count(user) -> int:
    """One COUNT on an index, paid only by pages that show the header (templates call the cached callable)."""
    from linli.notifications.models import Notification

    return Notification.objects.for_user(user).unread().count()
