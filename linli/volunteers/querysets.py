"""Scope for volunteer data: everything belongs to one community.

Managers (volunteer.view / activity.view) see their area's rows. A volunteer's own account sees only
itself: its Volunteer records and the activities of the communities it volunteers in (restrict_self).
"""

from __future__ import annotations

from linli.areas.scope import COMMUNITY_SCOPE, community_scope
from linli.core.querysets import ScopedQuerySet


def _own_communities(user):
    from linli.volunteers.models import Volunteer

    return Volunteer.objects.filter(user=user, is_active=True).values("community_id")


class VolunteerQuerySet(ScopedQuerySet):
    perm_subject = "volunteer"
    scope_paths = COMMUNITY_SCOPE

    def restrict_self(self, user, action):
        if action == "view" and user.has_role_perm("volunteer.view_self"):
            return self.filter(user=user)
        return None

    def active(self):
        return self.filter(is_active=True)


class TeamQuerySet(ScopedQuerySet):
    perm_subject = "volunteer"
    scope_paths = COMMUNITY_SCOPE

    def restrict_self(self, user, action):
        if action == "view" and user.has_role_perm("volunteer.view_self"):
            return self.filter(memberships__volunteer__user=user).distinct()
        return None


class ActivityQuerySet(ScopedQuerySet):
    """Activities are public to the volunteers of their community: a volunteer sees them to sign up."""

    perm_subject = "activity"
    scope_paths = COMMUNITY_SCOPE

    def restrict_self(self, user, action):
        if action == "view" and user.has_role_perm("activity.signup"):
            return self.filter(community_id__in=_own_communities(user))
        return None


class SignUpQuerySet(ScopedQuerySet):
    perm_subject = "activity"
    scope_paths = community_scope("activity__")

    def restrict_self(self, user, action):
        if action == "view" and user.has_role_perm("activity.signup"):
            return self.filter(volunteer__user=user)
        return None

    def live(self):
        from linli.volunteers.choices import LIVE_SIGNUP

        return self.filter(status__in=LIVE_SIGNUP)


class AttendanceQuerySet(SignUpQuerySet):
    def confirmed(self):
        from linli.volunteers.choices import AttendanceStatus

        return self.filter(status=AttendanceStatus.CONFIRMED)
