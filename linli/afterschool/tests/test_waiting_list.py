"""Enrolment: the community's children under the age limit; a full term puts children on a waiting list ordered by
priority (留守儿童, 双职工, others) and application time; a withdrawal promotes the first and tells the staff."""

import pytest
from django.core.exceptions import ValidationError

from linli.afterschool import services
from linli.afterschool.choices import EnrolmentStatus, Priority
from linli.afterschool.testing import make_child, make_school, make_term
from linli.notifications.models import Notification
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(world):
    school = make_school(world.communities["e1"], "小课堂", staff=[world.users["grid_worker_2"]])
    return make_term(school, capacity=1)


def kids(world, n, start=30):
    return [
        make_child(world.buildings["b2"], f"孩子{i}", room="302" if i % 2 else "401", seq=start + i) for i in range(n)
    ]


def test_a_full_term_puts_children_on_a_waiting_list_by_priority_then_time(world, small):
    first, other, working, left_behind = kids(world, 4)
    assert services.enrol(small, first, actor=SYSTEM).status == EnrolmentStatus.ENROLLED
    e_other = services.enrol(small, other, actor=SYSTEM, priority=Priority.OTHER)
    e_working = services.enrol(small, working, actor=SYSTEM, priority=Priority.WORKING_PARENTS)
    left_behind.tags.add(world.tag("left_behind_child"))
    e_left = services.enrol(small, left_behind, actor=SYSTEM)
    assert e_left.priority == Priority.LEFT_BEHIND
    assert [services.waiting_position(e) for e in (e_left, e_working, e_other)] == [1, 2, 3]


def test_a_withdrawal_promotes_the_first_waiting_and_tells_the_staff(world, small):
    first, other, left_behind = kids(world, 3)
    e_first = services.enrol(small, first, actor=SYSTEM)
    services.enrol(small, other, actor=SYSTEM)
    e_left = services.enrol(small, left_behind, actor=SYSTEM, priority=Priority.LEFT_BEHIND)
    promoted = services.withdraw(e_first, actor=SYSTEM, reason="搬家")
    assert promoted == [e_left]
    e_left.refresh_from_db()
    assert e_left.status == EnrolmentStatus.ENROLLED
    assert Notification.objects.filter(user=world.users["grid_worker_2"], body__contains=left_behind.name).exists()


def test_raising_the_capacity_promotes_from_the_waiting_list(world, small):
    a, b = kids(world, 2)
    services.enrol(small, a, actor=SYSTEM)
    e_b = services.enrol(small, b, actor=SYSTEM)
    small.capacity = 2
    services.save_term(small, actor=SYSTEM)
    e_b.refresh_from_db()
    assert e_b.status == EnrolmentStatus.ENROLLED


def test_only_children_of_the_community_under_the_age_limit_enrol(world, small):
    with pytest.raises(ValidationError, match="已满"):
        services.enrol(small, world.residents["wang"], actor=SYSTEM)
    with pytest.raises(ValidationError, match="不是本社区的居民"):
        services.enrol(small, make_child(world.buildings["b4"], "外社区孩子", room="101", seq=60), actor=SYSTEM)
    (child,) = kids(world, 1)
    services.enrol(small, child, actor=SYSTEM)
    with pytest.raises(ValidationError, match="已经报名"):
        services.enrol(small, child, actor=SYSTEM)


def test_the_household_adults_are_proposed_as_guardians(world, small):
    (child,) = kids(world, 1, start=40)
    enrolment = services.enrol(small, child, actor=SYSTEM)
    assert enrolment.guardians.count() == 0  # room 401 / 302 has no adult in the world
    wang_grandchild = make_child(world.buildings["b2"], "王小二", room="301", seq=70)
    enrolment = services.enrol(small, wang_grandchild, actor=SYSTEM)
    assert [(g.name, g.relation, g.authorised) for g in enrolment.guardians.all()] == [("王五", "祖父母", True)]
