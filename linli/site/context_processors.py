"""The top navigation: the menu groups and entries the apps registered (linli.core.shell), per user."""

from django.urls import reverse

from linli.accounts.roles import DAILY_PAGES
from linli.core.shell import Registry, registry


def menu(user, shell: Registry = registry) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group label, [(url name, label)]) for the sections this user's role can open, empty groups included."""
    return [
        (group.label, [(e.url_name, e.label) for e in entries if e.visible(user)]) for group, entries in shell.menu()
    ]


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
    for label, items in menu(user):
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
        "nav_items": nav,
        "can_search_residents": user.has_role_perm("resident.view"),
    }
