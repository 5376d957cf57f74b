"""Which action forms the detail page offers a user for an appeal in its current state.

This mirrors the checks in linli.appeals.services so that the page only shows what would succeed;
the services remain the authority (a stale page still gets a clear refusal from them).
"""

from __future__ import annotations

from linli.appeals.choices import FINISHED, ExtensionStatus, Rating, Status
from linli.appeals.models import Appeal
from linli.appeals.services import MERGEABLE, is_handler

#: Every action of the detail page, in the order the page shows them.
ACTIONS = (
    "edit",
    "dispatch",
    "sign",
    "return",
    "resolve",
    "progress",
    "assist",
    "extension",
    "extension_decide",
    "reply",
    "public",
    "reopen",
    "escalate",
    "merge",
    "unmerge",
    "withdraw",
)


class _Who:
    """Per-request answers about one user and one appeal, each asked of the database at most once."""

    def __init__(self, appeal: Appeal, user):
        self.appeal, self.user = appeal, user
        self._area: dict[str, bool] = {}
        self._handler = None
        self._assisting = None

    def area(self, perm: str) -> bool:
        """The role holds appeal.<perm> and the appeal lies in the user's area (services._check_area)."""
        if perm not in self._area:
            user = self.user
            ok = user.is_superuser or (
                user.has_role_perm(f"appeal.{perm}")
                and Appeal.objects.restrict(user, perm).filter(pk=self.appeal.pk).exists()
            )
            self._area[perm] = ok
        return self._area[perm]

    @property
    def handler(self) -> bool:
        if self._handler is None:
            self._handler = self.user.is_superuser or is_handler(self.user, self.appeal.assigned_org)
        return self._handler

    @property
    def assisting(self) -> bool:
        if self._assisting is None:
            self._assisting = self.appeal.assists.filter(org__handlers=self.user).exists()
        return self._assisting


def available_actions(appeal: Appeal, user) -> set[str]:
    """The actions `user` may take on `appeal` now (names of ACTIONS)."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    who = _Who(appeal, user)
    status = appeal.status
    allowed: set[str] = set()
    if status == Status.PENDING_DISPATCH:
        if who.area("add"):
            allowed.add("edit")
        if who.area("dispatch"):
            allowed |= {"dispatch", "withdraw"}
    if status == Status.PENDING_SIGN:
        if who.handler:
            allowed |= {"sign", "return"}
        if who.area("dispatch"):
            allowed.add("withdraw")
    if status == Status.IN_PROGRESS and who.handler:
        allowed |= {"return", "resolve"}
        if not appeal.extensions.filter(status=ExtensionStatus.PENDING).exists():
            allowed.add("extension")
    if status == Status.IN_PROGRESS and appeal.extensions.filter(status=ExtensionStatus.PENDING).exists():
        if who.area("supervise"):
            allowed.add("extension_decide")
    if status in (Status.PENDING_SIGN, Status.IN_PROGRESS) and (who.handler or who.area("dispatch")):
        allowed.add("assist")
    if status not in FINISHED and (who.handler or who.assisting or who.area("add")):
        allowed.add("progress")
    if status == Status.RESOLVED and who.area("reply"):
        allowed.add("reply")
    if status in (Status.RESOLVED, Status.CLOSED) and who.area("reply"):
        allowed.add("public")
    if status in MERGEABLE and who.area("dispatch"):
        allowed.add("merge")
    if status == Status.MERGED and appeal.replied_at is None and who.area("dispatch"):
        allowed.add("unmerge")
    closed_unsatisfied = status == Status.CLOSED and appeal.rating == Rating.UNSATISFIED
    if closed_unsatisfied and who.area("supervise"):
        allowed.add("reopen")
    if (closed_unsatisfied or status in (Status.PENDING_SIGN, Status.IN_PROGRESS, Status.RESOLVED)) and who.area(
        "supervise"
    ):
        allowed.add("escalate")
    return allowed


def may_see_full_phone(appeal: Appeal, user) -> bool:
    """The reporter's full phone: the owning organisation's handlers (they call the reporter) and area staff
    whose role may reveal phones; everyone else sees it masked."""
    if user.is_superuser or is_handler(user, appeal.assigned_org):
        return True
    return user.has_role_perm("resident.reveal_phone") and _Who(appeal, user).area("add")


#: The role right each action needs (services._check_area); the others need organisation membership.
ROLE_PERM = {
    "edit": "appeal.add",
    "dispatch": "appeal.dispatch",
    "withdraw": "appeal.dispatch",
    "merge": "appeal.dispatch",
    "unmerge": "appeal.dispatch",
    "reply": "appeal.reply",
    "public": "appeal.reply",
    "reopen": "appeal.supervise",
    "escalate": "appeal.supervise",
    "extension_decide": "appeal.supervise",
}
HANDLER_ONLY = {"sign", "return", "resolve", "extension"}


def check_may_try(name: str, appeal: Appeal, user) -> None:
    """403 before the form is even read when the user's role or organisation can never take this action;
    state and area are left to the services (a stale page gets their message)."""
    from django.core.exceptions import PermissionDenied

    if user.is_superuser:
        return
    if name in ROLE_PERM and not user.has_role_perm(ROLE_PERM[name]):
        raise PermissionDenied("您的角色没有这项权限。")
    if name in HANDLER_ONLY and not is_handler(user, appeal.assigned_org):
        raise PermissionDenied(f"只有“{appeal.assigned_org or '承办机构'}”的承办人可以办理这件诉求。")
