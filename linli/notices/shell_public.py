"""The print and public pages on a notice's staff page (notices:notice_detail): the A4 poster, the household
checklist, the public page and the community's board. Imported at the end of linli/notices/shell.py."""

from django.urls import reverse

from linli.core.shell import perm
from linli.notices.choices import NoticeStatus
from linli.notices.models import NoticeHousehold
from linli.notices.panels import notice_panel
from linli.notices.public import is_shown
from linli.notices.services import public_url


def _print_context(user, notice) -> dict | None:
    if notice.status == NoticeStatus.WITHDRAWN:
        return None
    households = NoticeHousehold.objects.restrict(user, "view").filter(notice=notice).count()
    return {
        "notice": notice,
        "poster_url": reverse("notices:notice_poster", args=[notice.pk]),
        "checklist_url": reverse("notices:notice_checklist", args=[notice.pk]) if households else None,
        "households": households,
        "public": is_shown(notice),
        "public_url": public_url(notice),
        "board_url": reverse("notices:public_board", args=[notice.community.code]),
    }


notice_panel("print_public", "notices/print_panel.html", order=40, context=_print_context, visible=perm("notice.view"))
