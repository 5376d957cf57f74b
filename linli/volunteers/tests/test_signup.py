"""Sign-up, the waiting list, cancellation and promotion; capacity under concurrent sign-ups (PostgreSQL)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from linli.core.testing_db import race
from linli.testing import SYSTEM
from linli.volunteers import services
from linli.volunteers.choices import SignUpStatus
from linli.volunteers.models import SignUp
from linli.volunteers.tests.helpers import activity, as_, volunteer

pytestmark = pytest.mark.django_db


def statuses(a):
    return list(a.signups.order_by("id").values_list("volunteer__name", "status"))


def test_beyond_capacity_a_sign_up_waits_and_the_first_waiting_is_promoted_on_cancel(world):
    a = activity(world, capacity=2)
    people = [volunteer(world, name=n) for n in ("甲", "乙", "丙", "丁")]
    signups = [services.sign_up(a, p, actor=SYSTEM) for p in people]
    assert [s.status for s in signups] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [services.waiting_position(s) for s in signups] == [None, None, 1, 2]
    promoted = services.cancel_sign_up(signups[0], actor=SYSTEM)
    assert [p.volunteer.name for p in promoted] == ["丙"]
    assert statuses(a) == [("甲", "cancelled"), ("乙", "confirmed"), ("丙", "confirmed"), ("丁", "waiting")]
    assert SignUp.objects.get(pk=signups[2].pk).promoted_at is not None
    # A waiting volunteer who cancels frees no place.
    assert services.cancel_sign_up(signups[3], actor=SYSTEM) == []


def test_signing_up_twice_is_refused_but_after_cancelling_one_may_sign_up_again(world):
    a = activity(world)
    v = volunteer(world)
    s = services.sign_up(a, v, actor=SYSTEM)
    with pytest.raises(ValidationError, match="已经报名"):
        services.sign_up(a, v, actor=SYSTEM)
    services.cancel_sign_up(s, actor=SYSTEM)
    with pytest.raises(ValidationError, match="已经取消"):
        services.cancel_sign_up(s, actor=SYSTEM)
    assert services.sign_up(a, v, actor=SYSTEM).status == SignUpStatus.CONFIRMED


def test_raising_the_capacity_promotes_and_lowering_it_below_the_confirmed_is_refused(world):
    a = activity(world, capacity=1)
    first, second = volunteer(world, name="甲"), volunteer(world, name="乙")
    services.sign_up(a, first, actor=SYSTEM)
    services.sign_up(a, second, actor=SYSTEM)
    a.capacity = 2
    services.save_activity(a, actor=as_(world, "secretary"))
    assert a.signups.filter(status="confirmed").count() == 2
    a.capacity = 1
    with pytest.raises(ValidationError) as exc:
        services.save_activity(a, actor=as_(world, "secretary"))
    assert "已有2人报名" in str(exc.value)


def test_a_promoted_volunteer_with_an_account_gets_a_message(world):
    from linli.notifications.models import Notification

    a = activity(world, capacity=1)
    first = volunteer(world, name="甲")
    mine = volunteer(world, name="志愿者本人", user=world.users["volunteer"])
    s = services.sign_up(a, first, actor=SYSTEM)
    services.sign_up(a, mine, actor=as_(world, "volunteer"))
    services.cancel_sign_up(s, actor=SYSTEM)
    assert Notification.objects.filter(user=world.users["volunteer"], title__contains="候补转正").count() == 1


def test_a_volunteer_signs_up_only_themselves_and_a_manager_anyone_of_the_community(world):
    a = activity(world)
    mine = volunteer(world, name="本人", user=world.users["volunteer"])
    other = volunteer(world, name="别人")
    with pytest.raises(PermissionDenied):
        services.sign_up(a, other, actor=as_(world, "volunteer"))
    assert services.sign_up(a, mine, actor=as_(world, "volunteer")).signed_up_by == world.users["volunteer"]
    assert services.sign_up(a, other, actor=as_(world, "staff")).status == "confirmed"
    outsider = volunteer(world, name="东二的", community="e2")
    with pytest.raises(ValidationError, match="不属于活动所在社区"):
        services.sign_up(a, outsider, actor=SYSTEM)


def test_sign_up_closes_when_the_activity_has_ended(world):
    a = activity(world, start=-3, length=2)
    with pytest.raises(ValidationError, match="已经结束"):
        services.sign_up(a, volunteer(world), actor=SYSTEM)


def test_the_pages_sign_up_wait_and_cancel(world, login):
    a = activity(world, capacity=1)
    services.sign_up(a, volunteer(world, name="甲"), actor=SYSTEM)
    mine = volunteer(world, name="本人", user=world.users["volunteer"])
    client = login(world.users["volunteer"])
    page = client.get(reverse("volunteers:activity_detail", args=[a.pk])).content.decode()
    assert "报名候补" in page and "甲" not in page  # a volunteer does not see the roster
    response = client.post(reverse("volunteers:activity_signup", args=[a.pk]), follow=True)
    assert "已进入候补" in response.content.decode()
    signup = SignUp.objects.get(volunteer=mine)
    assert "候补名单第 <b>1</b> 位" in client.get(reverse("volunteers:activity_detail", args=[a.pk])).content.decode()
    client.post(reverse("volunteers:signup_cancel", args=[signup.pk]))
    assert SignUp.objects.get(pk=signup.pk).status == "cancelled"


def test_a_volunteer_cannot_cancel_someone_elses_sign_up(world, login):
    a = activity(world)
    volunteer(world, name="本人", user=world.users["volunteer"])
    other = services.sign_up(a, volunteer(world, name="别人"), actor=SYSTEM)
    client = login(world.users["volunteer"])
    assert client.post(reverse("volunteers:signup_cancel", args=[other.pk])).status_code == 404
    assert SignUp.objects.get(pk=other.pk).status == "confirmed"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_exceed_the_capacity(world):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: tested on PostgreSQL")
    a = activity(world, capacity=5)
    people = [volunteer(world, name=f"志愿者{i}") for i in range(20)]
    assert run_together(lambda v: services.sign_up(a, v, actor=SYSTEM), people) == []
    assert a.signups.filter(status="confirmed").count() == 5
    assert a.signups.filter(status="waiting").count() == 15
    # Concurrent cancellations promote exactly as many as they free.
    confirmed = list(a.signups.filter(status="confirmed"))
    assert run_together(lambda s: services.cancel_sign_up(s, actor=SYSTEM), confirmed) == []
    assert a.signups.filter(status="confirmed").count() == 5
    assert a.signups.filter(status="waiting").count() == 10


def run_together(fn, items) -> list:
    """fn(item) in one thread per item, all released at once; the exceptions raised."""
    outcome = race(len(items), lambda i: fn(items[i]))
    return outcome.refusals + outcome.failures
