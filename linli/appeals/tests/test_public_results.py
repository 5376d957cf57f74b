"""结果公开: solved appeals of a community, for anyone, with no name, phone or room number on the page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.appeals import services
from linli.appeals.choices import Outcome, Rating, ReplyMethod, Status
from linli.appeals.models import Appeal
from linli.appeals.tests.conftest import new_appeal
from linli.core.tests.test_anonymise import SUMMARY_FILLER, insert_all, names, phones, rooms
from linli.workdays.calendar import workdays_between

pytestmark = pytest.mark.django_db


def closed_appeal(aw, *, outcome=Outcome.SOLVED, rating=Rating.SATISFIED, public_summary="", **kwargs):
    appeal = new_appeal(aw, **kwargs)
    e1 = appeal.community == aw.communities["e1"]
    office, handler = ("secretary", "dept_handler") if e1 else ("street_admin", "e2_handler")
    services.dispatch(appeal, aw.units["property"], actor=aw.actor(office))
    services.sign(appeal, actor=aw.actor(handler))
    services.resolve(
        appeal,
        actor=aw.actor(handler),
        outcome=outcome,
        resolution="已更换灯泡",
        explanation="" if outcome == Outcome.SOLVED else "需要等待配件",
        public_summary=public_summary,
    )
    services.reply(appeal, actor=aw.actor(office), text="已回访", method=ReplyMethod.PHONE, rating=rating)
    appeal.refresh_from_db()
    return appeal


def page(client, code="e1"):
    return client.get(reverse("appeals:public_results", args=[code]))


def summaries(response) -> list[str]:
    return [r["summary"] for g in response.context["groups"] for r in g["rows"]]


def test_anyone_reads_the_page_without_logging_in(aw, client):
    closed_appeal(aw, public_summary="1栋楼道灯已全部更换")
    response = page(client)
    assert response.status_code == 200
    body = response.content.decode()
    assert "1栋楼道灯已全部更换" in body
    assert "物业服务企业" in body and "满意" in body
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "csrf" not in body.lower()


def test_an_unknown_community_code_is_a_404(aw, client):
    assert page(client, "nowhere").status_code == 404


def test_only_closed_solved_or_partly_solved_appeals_of_the_last_12_months_of_this_community(aw, client):
    solved = closed_appeal(aw, public_summary="已解决的事")
    partly = closed_appeal(aw, outcome=Outcome.PARTLY, public_summary="部分解决的事")
    closed_appeal(aw, outcome=Outcome.UNFOUNDED, public_summary="不属实的事")
    old = closed_appeal(aw, public_summary="很久以前的事")
    Appeal.objects.filter(pk=old.pk).update(resolved_at=timezone.now() - datetime.timedelta(days=400))
    closed_appeal(aw, building="b3", public_summary="东二社区的事")
    new_appeal(aw, text="还没办的事")
    lines = summaries(page(client))
    assert sorted(lines) == sorted(["已解决的事", "部分解决的事"])
    assert solved.status == partly.status == Status.CLOSED
    assert summaries(page(client, "e2")) == ["东二社区的事"]


def test_without_a_public_summary_a_neutral_line_is_shown_not_the_appeal_text(aw, client):
    closed_appeal(aw, text="3单元楼道灯坏了，王阿姨电话13800001111")
    response = page(client)
    assert summaries(response) == [f"{aw.category('corridor_light').name}问题（已解决）"]
    body = response.content.decode()
    assert "王阿姨" not in body and "13800001111" not in body and "3单元" not in body


def test_days_taken_are_working_days_from_receipt_to_resolution(aw, client):
    appeal = closed_appeal(aw)
    received = timezone.now() - datetime.timedelta(days=20)
    Appeal.objects.filter(pk=appeal.pk).update(received_at=received)
    row = page(client).context["groups"][0]["rows"][0]
    expected = workdays_between(timezone.localdate(received), timezone.localdate(appeal.resolved_at))
    assert row["days"] == expected
    assert 10 <= expected <= 16


def test_the_names_of_the_reporter_and_the_buildings_residents_are_removed(aw, client):
    closed_appeal(
        aw,
        reporter_name="钱多多",
        public_summary="钱多多和张三反映，李四家门口、陈奶奶楼下的灯，钱阿姨说已修好",
    )
    line = summaries(page(client))[0]
    for name in ("钱多多", "张三", "李四", "陈奶奶", "钱阿姨"):
        assert name not in line
    assert "灯" in line


def test_a_registered_reporters_name_is_removed(aw, client):
    closed_appeal(aw, reporter=aw.residents["wang"], building="b1", public_summary="王五反映的问题已解决")
    assert "王五" not in page(client).content.decode()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    base=st.text(alphabet=SUMMARY_FILLER, max_size=30),
    name=names,
    phone=phones(),
    room=rooms(),
    where=st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40)),
)
def test_a_name_phone_or_room_inserted_anywhere_in_the_public_summary_never_reaches_the_page(
    aw, client, base, name, phone, room, where
):
    appeal = Appeal.objects.filter(status=Status.CLOSED).first() or closed_appeal(aw)
    summary = insert_all(base, [name, phone[0], room[0]], where)[:200]
    Appeal.objects.filter(pk=appeal.pk).update(public_summary=summary, reporter_name=name)
    response = page(client)
    body = response.content.decode()
    assert name not in body
    assert phone[0] not in body and phone[1] not in body
    assert room[0] not in body
    assert all(room[1] not in line for line in summaries(response))
