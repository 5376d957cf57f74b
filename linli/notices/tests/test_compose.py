"""Writing a notice: the audience picker offers only what the user may reach, counts live, refuses odd input in
Chinese without changing anything, and downloads the list."""

import io
import zipfile

import pytest
from django.urls import reverse

from linli.core.audit import actor_of
from linli.notices.choices import NoticeStatus
from linli.notices.models import Notice

pytestmark = pytest.mark.django_db


def _post(world, **audience):
    data = {
        "title": "1栋明天停水",
        "body": "因管道检修，明天8:00至12:00停水。",
        "category": "outage",
        "channels": ["in_app", "sms"],
        "is_public": "on",
        "community": world.communities["e1"].pk,
    }
    data.update(audience)
    return data


def test_staff_write_a_draft_for_two_buildings_with_its_label(world, login):
    client = login(world.users["staff"])
    b1, b2 = world.buildings["b1"], world.buildings["b2"]
    response = client.post(reverse("notices:notice_add"), _post(world, buildings=[b1.pk, b2.pk]))
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.status == NoticeStatus.DRAFT
    assert notice.audience["building_ids"] == sorted([b1.pk, b2.pk])
    assert notice.audience_label == "1栋、2栋"
    assert notice.channels == ["in_app", "sms"]


def test_a_grid_worker_is_offered_only_their_grid_and_its_buildings(world, login):
    page = login(world.users["grid_worker_1"]).get(reverse("notices:notice_add")).content.decode()
    assert "东一第1网格" in page and "东一第2网格" not in page
    b1, b2 = (f'name="buildings" value="{world.buildings[b].pk}"' for b in ("b1", "b2"))
    assert b1 in page and b2 not in page


def test_a_grid_worker_who_submits_another_grid_gets_a_chinese_error_and_nothing_is_saved(world, login):
    client = login(world.users["grid_worker_1"])
    response = client.post(reverse("notices:notice_add"), _post(world, grids=[world.grids["g2"].pk]))
    assert response.status_code == 400
    assert "网格" in response.content.decode() and "选择" in response.content.decode()
    assert not Notice.objects.exists()


def test_a_grid_worker_who_picks_nothing_is_told_to_choose_their_own_grid(world, login):
    response = login(world.users["grid_worker_1"]).post(reverse("notices:notice_add"), _post(world))
    assert response.status_code == 400
    assert "不能发给全社区" in response.content.decode()
    assert not Notice.objects.exists()


@pytest.mark.parametrize(
    "audience, message",
    [
        ({"age_min": "200"}, "130"),
        ({"age_min": "70", "age_max": "60"}, "最大年龄不能小于最小年龄"),
        ({"grids": ["999999"]}, "网格"),
        ({"buildings": ["²"]}, "楼栋"),
        ({"saved_list": "424242"}, "名单"),
    ],
)
def test_odd_audience_input_is_refused_in_chinese_and_nothing_changes(world, login, audience, message):
    response = login(world.users["staff"]).post(reverse("notices:notice_add"), _post(world, **audience))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Notice.objects.exists()


def test_another_communitys_grid_is_refused(world, login):
    other = world.grids["g3"]  # 东二社区
    response = login(world.users["street_admin"]).post(reverse("notices:notice_add"), _post(world, grids=[other.pk]))
    assert response.status_code == 400
    assert not Notice.objects.exists()


def test_the_live_count_says_how_many_people_and_households(world, login):
    client = login(world.users["staff"])
    url = reverse("notices:audience_count")
    e1 = world.communities["e1"].pk
    assert "将通知 <b>4</b> 人、<b>4</b> 户" in client.get(url, {"community": e1}).content.decode()
    only_b1 = client.get(url, {"community": e1, "buildings": world.buildings["b1"].pk}).content.decode()
    assert "将通知 <b>3</b> 人、<b>3</b> 户" in only_b1
    alone = client.get(url, {"community": e1, "tags": world.tag("living_alone").pk}).content.decode()
    assert "将通知 <b>2</b> 人" in alone
    empty = client.get(url, {"community": e1, "age_min": "120"}).content.decode()
    assert "找不到居民" in empty
    bad = client.get(url, {"community": e1, "age_max": "200"}).content.decode()
    assert "通知对象有误" in bad


def test_a_grid_workers_count_stays_in_their_grid(world, login):
    client = login(world.users["grid_worker_2"])
    e1 = world.communities["e1"].pk
    response = client.get(reverse("notices:audience_count"), {"community": e1, "grids": world.grids["g2"].pk})
    assert "将通知 <b>1</b> 人、<b>1</b> 户" in response.content.decode()
    other = client.get(reverse("notices:audience_count"), {"community": e1, "grids": world.grids["g1"].pk})
    assert "将通知" not in other.content.decode()


def _cells(response) -> str:
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))


def test_the_list_downloads_with_masked_phones_and_is_logged(world, login):
    from linli.core.models import ExportRecord

    client = login(world.users["staff"])
    response = client.get(
        reverse("notices:audience_export"),
        {"community": world.communities["e1"].pk, "buildings": world.buildings["b1"].pk},
    )
    assert response.status_code == 200
    text = _cells(response)
    assert "张三" in text and "陈奶奶" in text and "王五" not in text
    assert "13812345678" not in text and "5678" in text
    record = ExportRecord.objects.get(kind="notice_audience_xlsx")
    assert record.row_count == 3 and record.user == world.users["staff"]


def test_sensitive_tags_stay_out_of_the_list_for_a_role_that_may_not_see_them(world, login, monkeypatch):
    from linli.accounts.models import User

    staff = world.users["staff"]
    original = User.has_role_perm
    monkeypatch.setattr(User, "has_role_perm", lambda u, p: p != "resident.view_sensitive" and original(u, p))
    client = login(staff)
    page = client.get(reverse("notices:notice_add")).content.decode()
    assert "残疾人" not in page and "独居老人" in page
    response = client.get(
        reverse("notices:audience_export"),
        {"community": world.communities["e1"].pk, "buildings": world.buildings["b1"].pk},
    )
    text = _cells(response)
    assert "李四" in text and "残疾人" not in text


def test_a_bad_export_request_answers_in_chinese_without_a_file(world, login):
    response = login(world.users["staff"]).get(reverse("notices:audience_export"), {"community": "x"})
    assert response.status_code == 400
    assert "社区" in response.content.decode()


def test_editing_a_draft_keeps_its_community_and_changes_its_audience(world, login):
    from linli.notices.testing import draft

    notice = draft(world, actor=actor_of(world.users["staff"]))
    client = login(world.users["staff"])
    page = client.get(reverse("notices:notice_edit", args=[notice.pk])).content.decode()
    assert "checked" in page  # building 1 is ticked again
    data = _post(world, grids=[world.grids["g2"].pk])
    data["community"] = world.communities["w1"].pk  # ignored: a draft stays in its community
    response = client.post(reverse("notices:notice_edit", args=[notice.pk]), data)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.community == world.communities["e1"] and notice.audience_label == "东一第2网格"


def test_choosing_another_community_redraws_the_picker_with_its_grids(world, login):
    client = login(world.users["street_admin"])
    page = client.get(reverse("notices:audience_picker"), {"community": world.communities["e2"].pk}).content.decode()
    assert "东二第1网格" in page and "东一第1网格" not in page
    other_street = client.get(reverse("notices:audience_picker"), {"community": world.communities["w1"].pk})
    assert "西一第1网格" not in other_street.content.decode()


def test_an_account_without_an_area_is_told_why_it_cannot_write_notices(world, login):
    client = login(world.users["nobody"])
    assert "还没有分配社区或网格" in client.get(reverse("notices:notice_add")).content.decode()
    response = client.post(reverse("notices:notice_add"), _post(world))
    assert response.status_code == 400
    assert not Notice.objects.exists()
