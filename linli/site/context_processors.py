"""The top navigation: the menu groups and entries the apps registered (linli.core.shell), per user."""

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString

from linli.accounts.roles import DAILY_PAGES
from linli.core.renderers import escape
from linli.core.shell import Registry, registry

#: reverse() of the menu's and the layout's argument-free URL names, per (urlconf, script prefix, name). They cannot
#: change while the process runs (the URLconf is loaded once); reversing some eighty of them cost every page ~2 ms.
_URLS: dict[tuple, str] = {}
CURRENT = ' aria-current="page"'
#: The links every page's layout draws (base.html), reversed once like the menu's.
LAYOUT_URLS = {
    "home": "core:home",
    "inbox": "notifications:notification_list",
    "help": "core:help",
    "password": "accounts:password_change",
    "logout": "accounts:logout",
    "search": "residents:resident_search",
}


def url(name: str, where: tuple | None = None) -> str:
    """reverse(name) for a URL name without arguments, remembered for the process. `where`: the current (urlconf,
    script prefix), when the caller already read them (a page's menu looks up some eighty names)."""
    key = (*(where or (get_urlconf(), get_script_prefix())), name)
    found = _URLS.get(key)
    if found is None:
        found = _URLS[key] = reverse(name)
    return found


def _forget_urls(setting, **kwargs):
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):  # tests that swap the URLconf
        _URLS.clear()


setting_changed.connect(_forget_urls, dispatch_uid="linli.site.navigation.urls")


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
    where = (get_urlconf(), get_script_prefix())
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
            link = url(name, where)
            nav.append({"url": link, "label": daily[name], "active": path == link or path.startswith(link)})
    for label, items in groups:
        links = []
        for name, text in items:
            link = url(name, where)
            links.append(
                {"url": link, "label": text, "active": path == link or (link != "/" and path.startswith(link))}
            )
        if not links:
            continue
        # A group with one page is a plain link (a resident sees just "我的信息").
        if len(links) == 1:
            nav.append(links[0])
        else:
            nav.append({"label": label, "children": links, "active": any(link["active"] for link in links)})
    return {
        "nav_items": nav,
        "nav_html": lambda: nav_html(nav),  # called by base.html only (a fragment an htmx request gets does not)
        "layout_urls": {key: url(name, where) for key, name in LAYOUT_URLS.items()},
        "can_search_residents": user.has_role_perm("resident.view"),
    }


def nav_html(nav: list[dict]) -> SafeString:
    """The menu's items as base.html's loop over nav_items wrote them (linli/site/tests/test_menu.py compares): a
    group as a drop-down of its links, a single page as a link. Written in Python: the loop cost ~0.5 ms a page."""
    out = []
    for item in nav:
        if item.get("children"):
            links = "".join(
                f'<li><a href="{escape(c["url"])}"{CURRENT if c["active"] else ""}>{escape(c["label"])}</a></li>'
                for c in item["children"]
            )
            summary = ' aria-current="true"' if item["active"] else ""
            out.append(
                f'<li>\n          <details class="dropdown">\n            <summary{summary}>{escape(item["label"])}'
                f"</summary>\n            <ul>{links}</ul>\n          </details>\n        </li>"
            )
        else:
            current = CURRENT if item["active"] else ""
            out.append(f'<li><a href="{escape(item["url"])}"{current}>{escape(item["label"])}</a></li>')
    return SafeString("".join(out))
