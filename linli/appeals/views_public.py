"""结果公开: a community's solved appeals of the last 12 months, anonymised, for anyone (no login).

Each row shows only the texts written for the public (公开摘要, 公开答复), through the anonymiser with every
registry name of the community (read once for the page); never the handler's or the reply's internal texts.

The page carries nothing of the visitor (no session data, no CSRF token), so it may be cached publicly.
"""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import cache_control

from linli.appeals.choices import Outcome, Rating, Status
from linli.appeals.models import Appeal
from linli.appeals.public import appeal_names, public_line, public_reply
from linli.areas.models import Community
from linli.core.figures import percent
from linli.residents.names import CommunityNames
from linli.workdays.calendar import workdays_between

PUBLIC_OUTCOMES = (Outcome.SOLVED, Outcome.PARTLY)
MAX_ROWS = 500


@method_decorator(cache_control(public=True, max_age=300), name="dispatch")
class PublicResultsView(View):
    def get(self, request, code):
        community = get_object_or_404(Community.objects.select_related("street"), code=code)
        now = timezone.now()
        since = now - datetime.timedelta(days=365)
        # Public page: no user to restrict by; only closed, solved appeals of this community are read.
        appeals = list(
            Appeal.objects.filter(
                community=community,
                status=Status.CLOSED,
                outcome__in=PUBLIC_OUTCOMES,
                resolved_at__gte=since,
            )
            .select_related("category", "unit", "reporter")
            .order_by("category__sort", "category_id", "-resolved_at")[:MAX_ROWS]
        )
        registry = CommunityNames()
        registry.load([community.pk])
        groups: dict = {}
        for appeal in appeals:
            key = appeal.category_id or 0
            group = groups.setdefault(key, {"name": appeal.category.name if appeal.category_id else "其他", "rows": []})
            received = timezone.localdate(appeal.received_at)
            resolved = timezone.localdate(appeal.resolved_at)
            group["rows"].append(
                {
                    "summary": public_line(appeal, names := appeal_names(appeal, registry)),
                    "reply": public_reply(appeal, names),
                    "unit": appeal.unit.name if appeal.unit_id else "",
                    "days": max(workdays_between(received, resolved), 0),
                    "rating": appeal.get_rating_display() if appeal.rating else Rating.NONE.label,
                    "outcome": appeal.get_outcome_display(),
                    "month": resolved,
                }
            )
        rated = [a for a in appeals if a.rating in (Rating.SATISFIED, Rating.BASICALLY, Rating.UNSATISFIED)]
        satisfied = sum(a.rating in (Rating.SATISFIED, Rating.BASICALLY) for a in rated)
        ctx = {
            "community": community,
            "groups": list(groups.values()),
            "total": len(appeals),
            "solved": sum(a.outcome == Outcome.SOLVED for a in appeals),
            "satisfied_percent": percent(satisfied, len(rated)),
            "since": timezone.localdate(since),
            "today": timezone.localdate(now),
        }
        return render(request, "appeals/public_results.html", ctx)
