"""Interval arithmetic: which interval applies, and how visits move the due date."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from linli.core.audit import Actor
from linli.core.models import ChangeRecord
from linli.residents.models import Resident
from linli.residents.services import save_tag, update_resident
from linli.visits.models import Visit, VisitAlert
from linli.visits.services import log_visit
from linli.visits.tests.helpers import days, visit

pytestmark = pytest.mark.django_db
SYSTEM = Actor.cli("test")


def fresh(resident):
    return Resident.objects.get(pk=resident.pk)


def test_the_shortest_interval_of_several_tags_applies(world):
    zhang = fresh(world.residents["zhang"])  # 60岁以上老人 (no interval) + 独居老人 (7)
    assert zhang.visit_interval_days == 7
    assert zhang.visit_policy_since == days(0)
    assert zhang.visit_due_on == days(7)
    wang = fresh(world.residents["wang"])  # 空巢老人 only
    assert (wang.visit_interval_days, wang.visit_due_on) == (14, days(14))
    assert fresh(world.residents["sun"]).visit_due_on is None  # no tag at all


def test_adding_and_removing_tags_recomputes_the_interval(world):
    wang = world.residents["wang"]
    update_resident(wang, actor=SYSTEM, tags=[world.tag("empty_nest"), world.tag("living_alone")])
    assert (fresh(wang).visit_interval_days, fresh(wang).visit_due_on) == (7, days(7))
    update_resident(wang, actor=SYSTEM, tags=[world.tag("empty_nest")])
    assert (fresh(wang).visit_interval_days, fresh(wang).visit_due_on) == (14, days(14))
    update_resident(wang, actor=SYSTEM, tags=[world.tag("elderly60")])
    wang = fresh(wang)
    assert (wang.visit_interval_days, wang.visit_due_on, wang.visit_policy_since) == (None, None, None)


def test_editing_a_tags_interval_recomputes_everyone_with_it(world):
    visit(world.residents["chen"], -2)
    tag = world.tag("living_alone")
    tag.visit_interval_days = 3
    save_tag(tag, SYSTEM)
    assert fresh(world.residents["zhang"]).visit_due_on == days(3)  # never visited: from the policy start
    assert fresh(world.residents["chen"]).visit_due_on == days(1)  # visited two days ago
    tag.is_active = False
    save_tag(tag, SYSTEM)
    assert fresh(world.residents["zhang"]).visit_due_on is None  # 60岁以上老人 alone sets no interval
    assert fresh(world.residents["wang"]).visit_due_on == days(14)  # other tags untouched


def test_a_completed_visit_restarts_the_interval(world):
    zhang = world.residents["zhang"]
    visit(zhang, -10)
    assert fresh(zhang).visit_due_on == days(-3)
    visit(zhang, -1, "phone")
    assert fresh(zhang).visit_due_on == days(6)


def test_moving_to_another_grid_keeps_the_due_date(world):
    from linli.areas.models import Household

    zhang = world.residents["zhang"]
    visit(zhang, -5)
    household = Household.objects.get(building=world.buildings["b2"], entrance=1, room="102")
    update_resident(zhang, actor=SYSTEM, household=household)
    zhang = fresh(zhang)
    assert zhang.grid_id == world.grids["g2"].pk
    assert zhang.visit_due_on == days(2)


def test_not_home_schedules_a_retry_within_two_days_and_does_not_reset(world):
    zhang = world.residents["zhang"]
    visit(zhang, -2)
    assert fresh(zhang).visit_due_on == days(5)
    visit(zhang, 0, "not_home")
    assert fresh(zhang).visit_due_on == days(2)  # retry sooner than the regular date
    visit(zhang, 0, "met")
    assert fresh(zhang).visit_due_on == days(7)
    chen = world.residents["chen"]
    visit(chen, -6)
    visit(chen, 0, "not_home")
    assert fresh(chen).visit_due_on == days(1)  # already due before the retry: not pushed back


def test_three_misses_in_a_row_raise_one_alert(world):
    zhang = world.residents["zhang"]
    visit(zhang, -6, "not_home")
    visit(zhang, -4, "not_home")
    visit(zhang, -3, "met")  # a visit in between breaks the run
    visit(zhang, -2, "not_home")
    visit(zhang, -1, "not_home")
    assert not VisitAlert.objects.exists()
    visit(zhang, 0, "not_home")
    visit(zhang, 0, "not_home")
    alert = VisitAlert.objects.get()
    assert (alert.resident_id, alert.get_reason_display(), alert.resolved) == (zhang.pk, "连续三次不在家", False)
    assert fresh(zhang).visit_due_on == days(2)  # still counting from the last real visit, or the retry


def test_refused_counts_as_a_completed_visit(world):
    zhang = world.residents["zhang"]
    visit(zhang, -1, "refused", wellbeing="attention")
    assert fresh(zhang).visit_due_on == days(6)


def test_a_future_date_and_a_missing_wellbeing_are_refused(world):
    zhang = world.residents["zhang"]
    with pytest.raises(ValidationError) as exc:
        visit(zhang, 1)
    assert exc.value.message_dict == {"visited_on": ["走访日期不能晚于今天。"]}
    with pytest.raises(ValidationError) as exc:
        log_visit(zhang, actor=SYSTEM, outcome="met", wellbeing="")
    assert "wellbeing" in exc.value.message_dict
    v = log_visit(zhang, actor=SYSTEM, outcome="not_home", wellbeing="good")
    assert v.wellbeing == ""  # nobody was seen
    assert Visit.objects.count() == 1


def test_a_worker_logs_visits_only_in_their_grid(world):
    zhang = world.residents["zhang"]
    with pytest.raises(Http404):
        log_visit(zhang, actor=Actor(user=world.users["grid_worker_2"]), outcome="met", wellbeing="good")
    with pytest.raises(PermissionDenied):
        log_visit(zhang, actor=Actor(user=world.users["dept_handler"]), outcome="met", wellbeing="good")
    assert not Visit.objects.exists()
    v = log_visit(zhang, actor=Actor(user=world.users["grid_worker_1"]), outcome="met", wellbeing="good")
    assert (v.visitor, v.grid_id, v.community_id) == (world.users["grid_worker_1"], zhang.grid_id, zhang.community_id)


def test_each_visit_is_recorded_in_the_change_log(world):
    v = visit(world.residents["zhang"], 0, findings="家里水管漏水")
    record = ChangeRecord.objects.get(object_id=v.pk, content_type__model="visit")
    assert record.changes["走访结果"] == [None, "见面"]
    assert record.changes["发现情况"] == [None, "家里水管漏水"]


def test_a_new_residents_due_date_is_what_the_sql_recomputation_writes(world):
    """create_resident works the first due date out in Python (first_due_dates); the SQL rule agrees, tag set by tag
    set, including an inactive tag and a resident without tags."""
    from linli.residents.models import Tag
    from linli.testing import make_resident
    from linli.visits.services import recompute_due_dates

    quiet = Tag.objects.create(code="quiet_weekly", name="停用的每周", visit_interval_days=3, is_active=False)
    cases = [(), ("elderly60",), ("living_alone",), ("empty_nest", "living_alone"), ("disabled", "elderly60")]
    made = []
    for i, codes in enumerate(cases):
        resident = make_resident(world.buildings["b2"], f"新{i}", room="101", seq=40 + i, tags=codes)
        resident.tags.add(quiet)  # inactive: never counts (added after creation: no recomputation runs)
        made.append(resident)
    first = {r.pk: (r.visit_interval_days, r.visit_policy_since, r.visit_due_on) for r in map(fresh, made)}
    recompute_due_dates([r.pk for r in made])
    again = {r.pk: (r.visit_interval_days, r.visit_policy_since, r.visit_due_on) for r in map(fresh, made)}
    assert first == again
    assert first[made[3].pk] == (7, days(0), days(7)) and first[made[0].pk] == (None, None, None)
