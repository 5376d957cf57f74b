"""节假日设置: street admins add and delete, secretaries read, everyone else is refused."""

import datetime as dt

import pytest
from django.urls import reverse

from linli.core.audit import history_of
from linli.core.models import ChangeRecord
from linli.workdays import calendar
from linli.workdays.models import HolidayOverride

pytestmark = pytest.mark.django_db

LIST = reverse("workdays:holiday_list")


def test_street_admin_adds_a_day_off_and_the_calendar_uses_it(world, login):
    client = login(world.users["street_admin"])
    assert client.get(LIST).status_code == 200
    response = client.post(f"{LIST}?year=2031", {"date": "2031-02-03", "is_workday": "0", "name": "春节"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?year=2031"
    override = HolidayOverride.objects.get()
    assert (override.date, override.is_workday, override.name) == (dt.date(2031, 2, 3), False, "春节")
    assert override.created_by == world.users["street_admin"]
    assert not calendar.is_workday(dt.date(2031, 2, 3))
    record = history_of(override).get(action="create")
    assert record.actor == world.users["street_admin"]
    page = client.get(f"{LIST}?year=2031").content.decode()
    assert "春节" in page and "删除" in page


def test_street_admin_adds_a_makeup_workday_and_deletes_it(world, login):
    client = login(world.users["street_admin"])
    client.post(LIST, {"date": "2031-02-08", "is_workday": "1", "name": "春节调休"})
    override = HolidayOverride.objects.get()
    assert override.is_workday and calendar.is_workday(dt.date(2031, 2, 8))  # a Saturday
    response = client.post(reverse("workdays:holiday_delete", args=[override.pk]))
    assert response.status_code == 302
    assert not HolidayOverride.objects.exists()
    assert not calendar.is_workday(dt.date(2031, 2, 8))
    assert history_of(override).filter(action="delete").exists()


def test_the_page_shows_the_package_days_for_reference(world, login):
    page = login(world.users["secretary"]).get(f"{LIST}?year=2025").content.decode()
    assert "2025-01-26" in page and "调休上班" in page and "春节" in page and "国庆节" in page
    assert "尚未收录" not in page
    unknown = login(world.users["secretary"]).get(f"{LIST}?year=2031").content.decode()
    assert "2031年的法定节假日尚未收录" in unknown


def test_secretary_reads_but_cannot_change(world, login):
    existing = HolidayOverride.objects.create(date=dt.date(2031, 1, 1), is_workday=False, name="元旦")
    client = login(world.users["secretary"])
    page = client.get(f"{LIST}?year=2031")
    assert page.status_code == 200 and "元旦" in page.content.decode()
    assert "添加一天" not in page.content.decode()
    assert client.post(LIST, {"date": "2031-02-03", "is_workday": "0", "name": "春节"}).status_code == 403
    assert client.post(reverse("workdays:holiday_delete", args=[existing.pk])).status_code == 403
    assert list(HolidayOverride.objects.values_list("name", flat=True)) == ["元旦"]


@pytest.mark.parametrize("persona", ["staff", "grid_worker_1", "dept_handler", "resident", "nobody"])
def test_other_roles_are_refused(world, login, persona):
    existing = HolidayOverride.objects.create(date=dt.date(2031, 1, 1), is_workday=False, name="元旦")
    client = login(world.users[persona])
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"date": "2031-02-03", "is_workday": "0", "name": "春节"}).status_code == 403
    assert client.post(reverse("workdays:holiday_delete", args=[existing.pk])).status_code == 403
    assert HolidayOverride.objects.count() == 1


def test_anonymous_is_sent_to_login(client):
    assert client.get(LIST).status_code == 302


@pytest.mark.parametrize(
    "data, message",
    [
        ({"date": "", "is_workday": "0", "name": "春节"}, "请填写日期。"),
        ({"date": "2031-02-30", "is_workday": "0", "name": "春节"}, "日期格式不正确"),
        ({"date": "明天", "is_workday": "0", "name": "春节"}, "日期格式不正确"),
        ({"date": "1800-01-01", "is_workday": "0", "name": "春节"}, "日期须在1900年至2200年之间。"),
        ({"date": "2031-02-03", "is_workday": "0", "name": ""}, "请填写名称"),
        ({"date": "2031-02-03", "is_workday": "2", "name": "春节"}, "类型只能是"),
        ({"date": "2031-01-01", "is_workday": "1", "name": "重复"}, "该日期已设置"),
    ],
)
def test_bad_input_gives_a_chinese_message_and_changes_nothing(world, login, data, message):
    HolidayOverride.objects.create(date=dt.date(2031, 1, 1), is_workday=False, name="元旦")
    records = ChangeRecord.objects.count()
    response = login(world.users["street_admin"]).post(LIST, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(HolidayOverride.objects.values_list("name", flat=True)) == ["元旦"]
    assert ChangeRecord.objects.count() == records


def test_the_service_refuses_a_duplicate_in_chinese(world):
    from django.core.exceptions import ValidationError

    from linli.core.audit import actor_of
    from linli.workdays.services import add_override

    actor = actor_of(world.users["street_admin"])
    add_override(dt.date(2031, 1, 1), False, "元旦", actor=actor)
    with pytest.raises(ValidationError) as exc:
        add_override(dt.date(2031, 1, 1), True, "元旦", actor=actor)
    assert "该日期已设置。" in exc.value.messages


def test_the_service_checks_the_role(world):
    from django.core.exceptions import PermissionDenied

    from linli.core.audit import actor_of
    from linli.workdays.services import add_override

    with pytest.raises(PermissionDenied):
        add_override(dt.date(2031, 1, 1), False, "元旦", actor=actor_of(world.users["secretary"]))
    assert not HolidayOverride.objects.exists()
