"""The hearings panel of a matter's page (registered in shell_hearings as a deliberation.panels matter panel):
its meetings, door-to-door questionnaires with their progress, and table talks, with add buttons for those
who may record them."""

from __future__ import annotations

from linli.deliberation import services_hearings as services
from linli.deliberation.models_hearings import Meeting, Questionnaire, TableTalk


def panel_context(user, matter) -> dict | None:
    if not (user.is_authenticated and (user.is_superuser or user.has_role_perm("matter.view"))):
        return None
    meetings = list(Meeting.objects.restrict(user, "view").filter(matter=matter).order_by("-held_at", "-id"))
    questionnaires = list(Questionnaire.objects.restrict(user, "view").filter(matter=matter))
    for q in questionnaires:
        q.total = services.progress(q)[1]
    talks = list(
        TableTalk.objects.restrict(user, "view").filter(matter=matter).select_related("building").order_by("-held_on")
    )
    return {
        "matter": matter,
        "meetings": meetings,
        "questionnaires": questionnaires,
        "talks": talks,
        "can_add": services.can_record(user, matter),
    }
