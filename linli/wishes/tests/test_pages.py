"""What the wish pages tell a claimer and staff: how long a claim has been held, what happens on release."""

import pytest
from django.urls import reverse

from linli.wishes.tests.test_reminders import claimed_days_ago

pytestmark = pytest.mark.django_db


def test_the_claimed_tab_shows_who_holds_each_wish_and_flags_a_claim_past_the_reminder_limit(ww, login):
    claimed_days_ago(ww, 20)
    body = login(ww.users["staff"]).get(reverse("wishes:wish_list"), {"status": "claimed"}).content.decode()
    assert "已认领（夏党员，已20天）" in body and "认领超过14天" in body


def test_each_tab_has_its_own_empty_message(ww, login):
    client = login(ww.users["staff"])
    assert "现在没有正在实现的心愿。" in client.get(reverse("wishes:wish_list"), {"status": "claimed"}).content.decode()
    assert "还没有已实现的心愿。" in client.get(reverse("wishes:wish_list"), {"status": "fulfilled"}).content.decode()


def test_claiming_releasing_and_withdrawing_ask_for_confirmation(ww, login):
    wish = ww.wishes["e1"]
    url = reverse("wishes:wish_detail", args=[wish.pk])
    volunteer = login(ww.users["volunteer"])
    assert 'data-confirm="认领后' in volunteer.get(url).content.decode()
    volunteer.post(reverse("wishes:wish_claim", args=[wish.pk]))
    mine = volunteer.get(url).content.decode()
    assert "社区工作人员会收到消息" in mine and "系统会提醒您一次" in mine
    staff = login(ww.users["staff"]).get(url).content.decode()
    assert "认领人会收到消息，消息里有原因" in staff and "确定取消夏党员的认领吗？" in staff
    assert staff.count('id="id_reason"') == 1 and 'id="cancel_reason"' in staff
