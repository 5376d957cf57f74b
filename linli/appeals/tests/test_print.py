"""派单单 and 回访单 of an appeal, and a 问题清单 printed and exported: scoped like the pages, the reporter's phone
as the detail page shows it, one export log row each."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from linli.appeals import services
from linli.appeals import services_problems as problems
from linli.appeals.choices import Outcome, Rating, ReplyMethod
from linli.appeals.tests.conftest import new_appeal
from linli.core.models import ExportRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(aw):
    appeal = new_appeal(aw)
    services.dispatch(appeal, aw.units["property"], actor=aw.actor("secretary"))
    services.sign(appeal, actor=aw.actor("dept_handler"))
    services.resolve(appeal, actor=aw.actor("dept_handler"), outcome=Outcome.SOLVED, resolution="已更换灯泡")
    services.reply(appeal, actor=aw.actor("staff"), text="已回访", method=ReplyMethod.PHONE, rating=Rating.SATISFIED)
    appeal.refresh_from_db()
    return appeal


def test_the_dispatch_sheet_has_the_appeal_unit_and_deadlines(aw, login, answered):
    appeal = answered
    body = login(aw.users["secretary"]).get(reverse("appeals:appeal_sheet_dispatch", args=[appeal.pk])).content
    body = body.decode()
    assert "诉求派单单" in body and appeal.number in body
    assert "3单元楼道灯坏了" in body and aw.units["property"].name in body and "东一物业服务中心" in body
    local = timezone.localtime(appeal.resolve_due)
    assert f"{local:%Y-%m-%d %H:%M}" in body and "办结时限" in body and "签收时限" in body
    assert "13800001111" in body  # the secretary sees the full phone on the detail page too
    record = ExportRecord.objects.get()
    assert (record.kind, record.row_count, record.filters["sheet"]) == ("appeal_sheet", 1, "派单单")


def test_the_callback_sheet_has_the_reporter_the_reply_and_a_satisfaction_box(aw, login, answered):
    body = login(aw.users["staff"]).get(reverse("appeals:appeal_sheet_callback", args=[answered.pk])).content
    body = body.decode()
    assert "诉求回访单" in body and "王阿姨" in body and "已更换灯泡" in body and "已回访" in body
    assert "☑ 满意" in body and "☐ 基本满意" in body and "☐ 不满意" in body
    assert "☑ 电话回访" in body


def test_sheets_are_refused_outside_the_users_appeals(aw, login, answered):
    client = login(aw.users["e2_handler"])  # another community's handler
    assert client.get(reverse("appeals:appeal_sheet_dispatch", args=[answered.pk])).status_code == 404
    assert client.get(reverse("appeals:appeal_sheet_callback", args=[answered.pk])).status_code == 404
    assert not ExportRecord.objects.exists()


def test_an_anonymous_reporter_stays_anonymous_on_paper(aw, login):
    appeal = new_appeal(aw, anonymous=True)
    body = login(aw.users["secretary"]).get(reverse("appeals:appeal_sheet_callback", args=[appeal.pk])).content
    assert "匿名" in body.decode() and "13800001111" not in body.decode()


@pytest.fixture
def plist(aw):
    year = timezone.localdate().year
    plist = problems.create_list(
        actor=aw.actor("secretary"), name="办实事清单", year=year, community=aw.communities["e1"]
    )
    problems.add_item(
        plist,
        actor=aw.actor("secretary"),
        title="小区路灯改造",
        unit=aw.units["property"],
        due_on=timezone.localdate().replace(month=1, day=1),
    )
    return plist


def test_the_problem_list_prints_with_unit_deadline_and_overdue(aw, login, plist):
    body = login(aw.users["staff"]).get(reverse("appeals:problem_list_print", args=[plist.pk])).content.decode()
    assert "小区路灯改造" in body and aw.units["property"].name in body
    if timezone.localdate() > timezone.localdate().replace(month=1, day=1):
        assert ">超期<" in body
    assert ExportRecord.objects.get().kind == "problems_print"


def test_the_problem_list_exports_to_xlsx_and_is_logged(aw, login, plist):
    response = login(aw.users["secretary"]).get(reverse("appeals:problem_list_xlsx", args=[plist.pk]))
    data = b"".join(response.streaming_content)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    assert ["序号", "事项", "责任单位", "完成时限", "进展", "超期", "进展说明", "关联诉求"] in rows
    assert any("小区路灯改造" in [str(c) for c in row] for row in rows)
    record = ExportRecord.objects.get()
    assert (record.kind, record.row_count, record.filters["problem_list"]["name"]) == (
        "problems_xlsx",
        1,
        str(plist),
    )


def test_another_communitys_list_is_a_404(aw, login, plist):
    from linli.accounts.choices import Role
    from linli.testing import make_user

    client = login(make_user("e2_secretary", Role.SECRETARY, aw.communities["e2"]))
    assert client.get(reverse("appeals:problem_list_print", args=[plist.pk])).status_code == 404
    assert client.get(reverse("appeals:problem_list_xlsx", args=[plist.pk])).status_code == 404
    assert (
        login(aw.users["dept_handler"]).get(reverse("appeals:problem_list_print", args=[plist.pk])).status_code == 403
    )
    assert not ExportRecord.objects.exists()


def test_the_problem_list_download_is_never_cached(aw, login, plist):
    response = login(aw.users["secretary"]).get(reverse("appeals:problem_list_xlsx", args=[plist.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
