"""Who sees the 四点半学校's rows (PIPL art. 28 and 31: the children are minors).

- The roster, guardians, sign-ins and sign-outs (actions "view", "manage", "export"): the school's own staff
  (School.staff, any role: object level) and users whose role holds afterschool.<action> over the school's
  community (the community secretary).
- "override" (release a child to someone not authorised): only afterschool.override over the community; a school
  staff member records it, naming the approver.
- "count" (the figures page: counts, never a name): afterschool.figures (street office, community staff) over their
  area, and everyone who reads the roster.
Everyone else sees nothing.
"""

from __future__ import annotations

from django.db.models import Q

from linli.areas.scope import community_scope
from linli.core.querysets import ScopedQuerySet, VisibleQuerySet, either

SCHOOL_PATHS = community_scope(own_street=True)
#: Actions a school's own staff hold on it.
STAFF_ACTIONS = ("view", "manage", "export")


class SchoolQuerySet(VisibleQuerySet):
    perm_subject = "afterschool"
    scope_paths = SCHOOL_PATHS
    # School.staff is a to-many relation: a pk subquery keeps each school once.
    visible_distinct = True

    def visible_q(self, user, action: str) -> Q | None:
        if action == "count":
            return either(
                either(self.perm_area_q(user, "afterschool.figures"), self.perm_area_q(user, "afterschool.view")),
                Q(staff=user),
            )
        q = self.perm_area_q(user, f"afterschool.{action}")
        if action in STAFF_ACTIONS:
            q = either(q, Q(staff=user))
        return q

    def active(self):
        return self.filter(is_active=True)


class _SchoolPartQuerySet(ScopedQuerySet):
    """Rows of a school (terms, sessions, enrolments, guardians, attendance): visible with their school."""

    perm_subject = "afterschool"
    school_path = "school"

    def restrict(self, user, action: str = "view"):
        from linli.afterschool.models import School

        return self.filter(**{f"{self.school_path}__in": School.objects.restrict(user, action).values("pk")})


class TermQuerySet(_SchoolPartQuerySet):
    pass


class SessionQuerySet(_SchoolPartQuerySet):
    pass


class EnrolmentQuerySet(_SchoolPartQuerySet):
    def enrolled(self):
        from linli.afterschool.choices import EnrolmentStatus

        return self.filter(status=EnrolmentStatus.ENROLLED)

    def waiting(self):
        from linli.afterschool.choices import EnrolmentStatus

        return self.filter(status=EnrolmentStatus.WAITING).order_by("priority_rank", "applied_at", "id")


class GuardianQuerySet(_SchoolPartQuerySet):
    school_path = "enrolment__school"

    def active(self):
        return self.filter(is_active=True)


class AttendanceQuerySet(_SchoolPartQuerySet):
    school_path = "session__school"

    def here(self):
        return self.filter(signed_out_at__isnull=True)
