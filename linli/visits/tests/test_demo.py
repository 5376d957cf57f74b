"""The demo's year of visit history (the visits app's demo step, shared `linli demo` build)."""

import datetime
from collections import Counter

from django.utils import timezone

from linli.accounts.models import User
from linli.areas.models import Grid
from linli.residents.models import Resident
from linli.visits.choices import COMPLETED_OUTCOMES, Outcome, Wellbeing
from linli.visits.models import Visit
from linli.visits.overdue import Worklist
from linli.visits.services import RETRY_DAYS
from linli.visits.views_coverage import coverage_report


def tagged(code, **filters):
    return Resident.objects.filter(tags__code=code, **filters)


def test_it_writes_a_year_of_visits_at_each_care_groups_interval(qinghe):
    today = timezone.localdate()
    visits = Visit.objects.filter(community=qinghe)
    assert 50_000 < visits.count() < 75_000
    assert visits.filter(visited_on__gt=today).count() == 0
    assert visits.filter(visited_on__lt=today - datetime.timedelta(days=370)).count() == 0
    share = Counter(visits.values_list("outcome", flat=True))
    n = sum(share.values())
    assert share[Outcome.MET] / n > 0.6 and 0.1 < share[Outcome.PHONE] / n < 0.25
    assert 0.05 < share[Outcome.NOT_HOME] / n < 0.11 and 0 < share[Outcome.REFUSED] / n < 0.03
    wellbeing = Counter(visits.exclude(outcome=Outcome.NOT_HOME).values_list("wellbeing", flat=True))
    assert wellbeing[Wellbeing.GOOD] > wellbeing[Wellbeing.FAIR] > wellbeing[Wellbeing.ATTENTION] > 0
    assert 0 < wellbeing[Wellbeing.URGENT] < wellbeing[Wellbeing.ATTENTION]
    assert not visits.filter(findings="").exists() and visits.exclude(need="").exists()
    # Denormalised place, and the grid workers of grids 1 and 2 as visitors.
    sample = visits.select_related("resident").order_by("?")[:50]
    for v in sample:
        r = v.resident
        assert (v.street_id, v.community_id, v.grid_id, v.building_id) == (
            r.street_id,
            r.community_id,
            r.grid_id,
            r.building_id,
        )
    grid1 = Grid.objects.get(community=qinghe, number=1)
    assert set(visits.filter(grid=grid1).values_list("visitor__username", flat=True)) == {"wangge1"}
    # The generated history of a grid without a worker's account has no visitor; the 专项工作 demo's in-person outcomes
    # there were recorded by the community's staff (linli.campaigns.demo), who are their visitors.
    history = visits.exclude(findings__startswith="专项工作：")
    assert set(history.filter(grid__number=3).values_list("visitor", flat=True)) == {None}

    # Care-group residents were visited about once per interval; the due date follows the last visit.
    care = Resident.objects.filter(community=qinghe, visit_interval_days__isnull=False)
    alone = tagged("living_alone", community=qinghe).order_by("?").first()
    assert 40 <= visits.filter(resident=alone).exclude(outcome=Outcome.NOT_HOME).count() <= 60
    for r in care.order_by("?")[:30]:
        last = r.visits.filter(outcome__in=COMPLETED_OUTCOMES).order_by("-visited_on").first()
        assert 0 <= (today - last.visited_on).days <= r.visit_interval_days + 2
        due = last.visited_on + datetime.timedelta(days=r.visit_interval_days)
        # 不在家 after the last completed visit (the visit history's try, then a campaign's visit before it in the
        # demo's days) brings the next try forward to two days after it (visits.services.RETRY_DAYS).
        missed = r.visits.filter(outcome=Outcome.NOT_HOME, visited_on__gt=last.visited_on).order_by("-visited_on")
        if missed.exists():
            due = min(due, missed.first().visited_on + datetime.timedelta(days=RETRY_DAYS))
        assert r.visit_due_on == due
        assert r.visit_policy_since < r.visits.order_by("visited_on").first().visited_on

    # A day's work for 蒋桂梅, and 60-80% of each grid's households known.
    worklist = Worklist(User.objects.get(username="wangge1"), today)
    assert 15 <= worklist.count() <= 40
    report = coverage_report(User.objects.get(username="shuji"), today)
    assert all(55 <= row.known_pct <= 85 for row in report.grids), [row.known_pct for row in report.grids]
    assert 60 <= report.total.known_pct <= 80
