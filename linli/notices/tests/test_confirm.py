"""确认送达: grid workers mark households told (by phone, in person, posted) within their scope; odd input changes
nothing and says why in Chinese; progress per grid and building equals a hand count."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from linli.accounts.choices import Role
from linli.core.audit import actor_of
from linli.core.models import ChangeRecord, ExportRecord
from linli.notices import confirm, services
from linli.notices.models import NoticeHousehold
from linli.notices.testing_confirm import sent_notice
from linli.testing import make_user

pytestmark = pytest.mark.django_db


def row_of(notice, resident):
    return NoticeHousehold.objects.get(notice=notice, household_id=resident.household_id)


@pytest.fixture
def notice(world):
    """To the whole of 东一社区: 1栋 (grid 1: 张三 101, 陈奶奶 201, 李四 2-502) and 2栋 (grid 2: 王五 301)."""
    return sent_notice(world.communities["e1"])


def test_a_grid_worker_marks_a_household_of_their_grid_told(world, notice):
    worker = world.users["grid_worker_1"]
    row = confirm.mark_told(
        row_of(notice, world.residents["zhang"]), actor=actor_of(worker), via="phone", note="告知了女儿"
    )
    row.refresh_from_db()
    assert (row.confirmed_via, row.confirmed_by, row.note) == ("phone", worker, "告知了女儿")
    assert row.confirmed_at is not None
    record = ChangeRecord.objects.get(object_id=row.pk, content_type__model="noticehousehold")
    assert record.actor == worker and record.note == "已电话告知"


def test_grid_worker_2_cannot_mark_grid_1s_households(world, notice, client):
    row = row_of(notice, world.residents["zhang"])
    with pytest.raises(Http404):
        confirm.mark_told(row, actor=actor_of(world.users["grid_worker_2"]), via="in_person")
    client.force_login(world.users["grid_worker_2"])
    response = client.post(reverse("notices:notice_household_mark", args=[row.pk]), {"via": "in_person"})
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.confirmed_via == ""


def test_a_role_without_notice_confirm_is_refused(world, notice):
    with pytest.raises(PermissionDenied):
        confirm.mark_told(
            row_of(notice, world.residents["zhang"]), actor=actor_of(world.users["dept_handler"]), via="phone"
        )


@pytest.mark.parametrize("via", ["", "read", "carrier_pigeon"])
def test_an_unknown_way_is_refused_and_nothing_changes(world, notice, via):
    row = row_of(notice, world.residents["zhang"])
    with pytest.raises(ValidationError) as err:
        confirm.mark_told(row, actor=actor_of(world.users["grid_worker_1"]), via=via)
    assert "请选择告知方式" in err.value.messages[0]
    row.refresh_from_db()
    assert row.confirmed_via == "" and not ChangeRecord.objects.filter(object_id=row.pk, note="已电话告知").exists()


def test_a_second_mark_is_refused_and_the_first_stands(world, notice):
    row = row_of(notice, world.residents["zhang"])
    confirm.mark_told(row, actor=actor_of(world.users["grid_worker_1"]), via="phone")
    with pytest.raises(ValidationError) as err:
        confirm.mark_told(row, actor=actor_of(world.users["staff"]), via="in_person")
    assert "已经登记过：已电话告知（grid_worker_1" in err.value.messages[0]
    row.refresh_from_db()
    assert (row.confirmed_via, row.confirmed_by) == ("phone", world.users["grid_worker_1"])


def test_a_withdrawn_notice_takes_no_marks(world, notice):
    services.withdraw_notice(notice, actor=actor_of(world.users["staff"]), reason="日期写错了")
    row = row_of(notice, world.residents["zhang"])
    with pytest.raises(ValidationError) as err:
        confirm.mark_told(row, actor=actor_of(world.users["grid_worker_1"]), via="phone")
    assert err.value.messages == [confirm.WITHDRAWN]
    with pytest.raises(ValidationError):
        confirm.mark_building_posted(notice, world.buildings["b1"].pk, actor=actor_of(world.users["grid_worker_1"]))
    assert not NoticeHousehold.objects.filter(notice=notice).exclude(confirmed_via="").exists()


def test_a_notice_that_needs_no_confirmation_takes_no_marks(world):
    notice = sent_notice(world.communities["e1"], must_confirm=False)
    with pytest.raises(ValidationError) as err:
        confirm.mark_told(row_of(notice, world.residents["zhang"]), actor=actor_of(world.users["staff"]), via="phone")
    assert err.value.messages == [confirm.NOT_CONFIRM]


def test_posting_at_a_building_marks_its_open_households_only(world, notice):
    from linli.notices.confirm import record_read

    record_read(notice, world.users["resident"])  # 陈奶奶 read it in Linli
    n = confirm.mark_building_posted(notice, world.buildings["b1"].pk, actor=actor_of(world.users["grid_worker_1"]))
    assert n == 2  # 张三 and 李四; 陈奶奶's reading stands
    b1_ways = NoticeHousehold.objects.filter(notice=notice, building=world.buildings["b1"])
    assert sorted(b1_ways.values_list("confirmed_via", flat=True)) == ["posted", "posted", "read"]
    assert row_of(notice, world.residents["wang"]).confirmed_via == ""  # 2栋 untouched
    # Grid worker 2 cannot post for 1栋.
    with pytest.raises(Http404):
        confirm.mark_building_posted(notice, world.buildings["b1"].pk, actor=actor_of(world.users["grid_worker_2"]))


def test_the_marker_or_a_manager_undoes_a_mark_and_nobody_else(world, notice):
    g1 = world.grids["g1"]
    colleague = make_user("grid_worker_1b", Role.GRID_WORKER, g1)
    row = row_of(notice, world.residents["zhang"])
    confirm.mark_told(row, actor=actor_of(world.users["grid_worker_1"]), via="in_person")
    with pytest.raises(ValidationError) as err:
        confirm.undo_mark(row, actor=actor_of(colleague))
    assert err.value.messages == [confirm.NOT_YOURS]
    confirm.undo_mark(row, actor=actor_of(world.users["staff"]))
    row.refresh_from_db()
    assert (row.confirmed_via, row.confirmed_at, row.confirmed_by) == ("", None, None)
    confirm.mark_told(row, actor=actor_of(colleague), via="phone")
    confirm.undo_mark(row, actor=actor_of(colleague))
    with pytest.raises(ValidationError) as err:
        confirm.undo_mark(row, actor=actor_of(colleague))
    assert err.value.messages == [confirm.NOT_TOLD]


def test_a_residents_own_reading_cannot_be_undone(world, notice):
    confirm.record_read(notice, world.users["resident"])
    with pytest.raises(ValidationError) as err:
        confirm.undo_mark(row_of(notice, world.residents["chen"]), actor=actor_of(world.users["staff"]))
    assert err.value.messages == [confirm.READ_STAYS]


def test_staff_put_a_household_on_the_door_list_and_grid_workers_cannot(world, notice):
    row = row_of(notice, world.residents["zhang"])
    assert row.needs_door is False
    confirm.set_needs_door(row, True, actor=actor_of(world.users["staff"]))
    row.refresh_from_db()
    assert row.needs_door is True
    assert ChangeRecord.objects.filter(object_id=row.pk, note="调整上门告知").exists()
    with pytest.raises(PermissionDenied):
        confirm.set_needs_door(row, False, actor=actor_of(world.users["grid_worker_1"]))
    with pytest.raises(ValidationError):
        confirm.set_needs_door(row, None, actor=actor_of(world.users["staff"]))
    row.refresh_from_db()
    assert row.needs_door is True


def test_progress_per_grid_and_building_equals_a_hand_count(world, notice):
    from linli.notices.confirm import record_read

    worker = actor_of(world.users["grid_worker_1"])
    record_read(notice, world.users["resident"])
    confirm.mark_told(row_of(notice, world.residents["zhang"]), actor=worker, via="in_person")
    confirm.set_needs_door(row_of(notice, world.residents["li"]), True, actor=actor_of(world.users["staff"]))
    confirm.set_needs_door(row_of(notice, world.residents["wang"]), True, actor=actor_of(world.users["staff"]))
    whole = confirm.progress(notice, world.users["staff"])
    rows = NoticeHousehold.objects.filter(notice=notice)
    assert (whole.total, whole.told, whole.open) == (rows.count(), rows.exclude(confirmed_via="").count(), 2)
    assert (whole.read, whole.in_person, whole.phone, whole.posted, whole.open_door) == (1, 1, 0, 0, 2)
    assert [g.label for g in whole.parts] == ["东一第1网格", "东一第2网格"]
    g1, g2 = whole.parts
    assert [(b.label, b.total, b.told, b.open_door) for b in g1.parts] == [("1栋", 3, 2, 1)]
    assert [(b.label, b.total, b.told, b.open_door) for b in g2.parts] == [("2栋", 1, 0, 1)]
    assert g1.percent == 67
    # Grid worker 2 counts only grid 2.
    mine = confirm.progress(notice, world.users["grid_worker_2"])
    assert [g.label for g in mine.parts] == ["东一第2网格"] and mine.total == 1


def test_the_progress_page_links_each_figure_to_its_households(world, notice, client):
    confirm.mark_told(row_of(notice, world.residents["zhang"]), actor=actor_of(world.users["staff"]), via="phone")
    client.force_login(world.users["staff"])
    page = client.get(reverse("notices:notice_confirmations", args=[notice.pk])).content.decode()
    households = reverse("notices:notice_household_list", args=[notice.pk])
    assert f'{households}?building={world.buildings["b1"].pk}&amp;via=phone">1</a>' in page
    assert f'{households}?state=open">3</a>' in page  # the whole's row: 3 of 4 households open
    assert f'{households}?grid={world.grids["g2"].pk}&amp;state=open">1</a>' in page
    assert "通知户数<b>4</b>" in page and "未告知<b>3</b>" in page


def test_the_household_list_filters_and_marks_in_place(world, notice, client):
    from linli.notices.filtersets_confirm import NoticeHouseholdFilterSet
    from tests.test_one_filterset_per_list import filtersets_built

    client.force_login(world.users["grid_worker_1"])
    confirm.mark_told(row_of(notice, world.residents["zhang"]), actor=actor_of(world.users["staff"]), via="phone")
    url = reverse("notices:notice_household_list", args=[notice.pk])
    with filtersets_built() as built:
        page = client.get(url, {"state": "open"}).content.decode()
    assert built == [NoticeHouseholdFilterSet]
    assert "陈奶奶" in page and "李四" in page and "张三" not in page and "王五" not in page  # grid 1, open
    chen = row_of(notice, world.residents["chen"])
    response = client.post(
        reverse("notices:notice_household_mark", args=[chen.pk]),
        {"via": "in_person", "part": "list"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith(f'<li id="nh-{chen.pk}"') and "✓ 已当面告知（grid_worker_1" in text
    again = client.post(
        reverse("notices:notice_household_mark", args=[chen.pk]),
        {"via": "phone", "part": "list"},
        HTTP_HX_REQUEST="true",
    )
    assert "不需要重复登记" in again.content.decode()
    chen.refresh_from_db()
    assert chen.confirmed_via == "in_person"


def test_bad_filter_values_give_a_message_not_an_error(world, notice, client):
    client.force_login(world.users["staff"])
    response = client.get(reverse("notices:notice_household_list", args=[notice.pk]), {"grid": "abc", "state": "x"})
    assert response.status_code == 200
    assert "筛选条件有误" in response.content.decode()


def test_the_export_lists_the_filtered_households_and_is_logged(world, notice, client):
    import io

    from openpyxl import load_workbook

    confirm.mark_told(row_of(notice, world.residents["zhang"]), actor=actor_of(world.users["staff"]), via="phone")
    client.force_login(world.users["grid_worker_1"])
    response = client.get(reverse("notices:notice_household_export", args=[notice.pk]), {"state": "told"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][:7] == ("网格", "楼栋", "单元", "房号", "居民", "需上门告知", "告知方式")
    assert [(r[1], r[3], r[4], r[6]) for r in rows[2:]] == [("1栋", "101", "张三", "已电话告知")]
    record = ExportRecord.objects.get(user=world.users["grid_worker_1"])
    assert record.kind == "notice_confirm_xlsx" and record.row_count == 1 and record.filters["state"] == "told"


def test_the_notice_page_panel_sums_up_must_confirm_notices_only(world, notice, client):
    from django.template.loader import render_to_string

    from linli.notices.panels import notice_panels

    confirm.mark_told(row_of(notice, world.residents["zhang"]), actor=actor_of(world.users["staff"]), via="phone")
    ((part, ctx),) = [
        (p, c) for p, c in notice_panels(world.users["grid_worker_2"], notice) if p.name.startswith("notices.confirm")
    ]
    assert (ctx["figures"].total, ctx["figures"].told) == (1, 0)  # grid 2 only
    html = render_to_string(part.template, ctx)
    assert "已告知 <b>0</b> / 1 户" in html and reverse("notices:notice_confirmations", args=[notice.pk]) in html
    optional = sent_notice(world.communities["e1"], must_confirm=False)
    assert not [p for p, _ in notice_panels(world.users["staff"], optional) if p.name.startswith("notices.confirm")]
    assert not [p for p, _ in notice_panels(world.users["resident"], notice) if p.name.startswith("notices.confirm")]
