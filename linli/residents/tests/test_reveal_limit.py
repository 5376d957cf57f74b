"""Full ID numbers are revealed at most LINLI_REVEAL_LIMIT_PER_HOUR times per user per hour (issue 13, finding 6:
a secretary's token revealed 100 full ID numbers in 0.6 s); past the alert threshold the secretaries of the
community and the street administrators are told once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from linli.accounts.choices import Role, TokenScope
from linli.accounts.models import ApiToken
from linli.notifications.choices import Kind
from linli.notifications.models import Notification
from linli.residents.models import RevealRecord
from linli.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LINLI_REVEAL_LIMIT_PER_HOUR = 30
    settings.LINLI_REVEAL_ALERT_PER_HOUR = 20


def reveal(resident):
    return f"/api/residents/{resident.pk}/reveal-id"


def alerts():
    return Notification.objects.filter(kind=Kind.REVEAL_ALERT)


def test_a_token_revealing_100_id_numbers_is_stopped_at_the_limit_and_the_managers_are_told_once(world, client):
    secretary = world.users["secretary"]
    second_secretary = make_user("secretary_2", Role.SECRETARY, world.communities["e1"])
    other_community = make_user("secretary_e2", Role.SECRETARY, world.communities["e2"])
    _, key = ApiToken.issue(secretary, "批量脚本", scope=TokenScope.WRITE)
    residents = [world.residents[n] for n in ("zhang", "li", "chen", "wang")]
    statuses = []
    for i in range(100):
        response = client.post(reveal(residents[i % 4]), HTTP_AUTHORIZATION=f"Bearer {key}")
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert "id_number" not in response.json()
    assert statuses == [200] * 30 + [429] * 70
    assert "一小时内查看完整身份证号码已达30次上限" in response.json()["detail"]
    assert RevealRecord.objects.filter(user=secretary).count() == 30

    # Told once each, however many reveals followed: the street administrator and the community's other
    # secretary; not the secretary herself, not another community's secretary.
    assert sorted(alerts().values_list("user__username", flat=True)) == ["secretary_2", "street_admin"]
    note = alerts().get(user=second_secretary)
    assert "secretary" in note.title and "20" in note.title
    assert note.url == f"/accounts/users/{secretary.pk}/tokens/"
    assert not alerts().filter(user=other_community).exists()


def test_no_alert_below_the_threshold(world, login):
    client = login(world.users["street_admin"])
    for _ in range(19):
        assert client.post(reveal(world.residents["zhang"])).status_code == 200
    assert not alerts().exists()
    assert client.post(reveal(world.residents["zhang"])).status_code == 200
    # The street admin revealed in 东一社区: its secretary is told (the revealer is not).
    assert list(alerts().values_list("user__username", flat=True)) == ["secretary"]


def test_reveals_older_than_an_hour_no_longer_count(world, login, settings):
    settings.LINLI_REVEAL_LIMIT_PER_HOUR = 3
    client = login(world.users["secretary"])
    zhang = world.residents["zhang"]
    for _ in range(3):
        assert client.post(reveal(zhang)).status_code == 200
    assert client.post(reveal(zhang)).status_code == 429
    RevealRecord.objects.update(at=timezone.now() - datetime.timedelta(minutes=61))
    assert client.post(reveal(zhang)).status_code == 200


def test_the_limit_is_per_user(world, login, settings):
    settings.LINLI_REVEAL_LIMIT_PER_HOUR = 2
    zhang = world.residents["zhang"]
    secretary = login(world.users["secretary"])
    for _ in range(2):
        secretary.post(reveal(zhang))
    assert secretary.post(reveal(zhang)).status_code == 429
    assert login(world.users["street_admin"]).post(reveal(zhang)).status_code == 200


def test_the_page_refuses_past_the_limit_with_the_message_and_no_number(world, login, settings):
    settings.LINLI_REVEAL_LIMIT_PER_HOUR = 1
    client = login(world.users["secretary"])
    zhang = world.residents["zhang"]
    url = f"/residents/{zhang.pk}/reveal-id/"
    first = client.post(url, HTTP_HX_REQUEST="true")
    assert zhang.reveal_id_number() in first.content.decode()
    refused = client.post(url, HTTP_HX_REQUEST="true")
    html = refused.content.decode()
    assert "上限" in html and zhang.reveal_id_number() not in html
    plain = client.post(url, follow=True)
    html = plain.content.decode()
    assert "上限" in html and zhang.reveal_id_number() not in html
    assert RevealRecord.objects.count() == 1
