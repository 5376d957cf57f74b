"""民情日记: scope, linking within scope, search, the resident's page and the change record."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from linli.core.audit import actor_of
from linli.core.models import ChangeAction, ChangeRecord
from linli.visits.models import FieldNote
from linli.visits.services import create_note, update_note

pytestmark = pytest.mark.django_db


def note_by(world, persona, text, **kwargs):
    return create_note(actor=actor_of(world.users[persona]), text=text, **kwargs)


def test_a_note_takes_its_place_from_the_first_linked_building(world):
    note = note_by(world, "secretary", "2栋晾衣杆还没装", buildings=[world.buildings["b2"]], tags="旧改，晾衣架 旧改")
    assert (note.community, note.grid, note.street) == (
        world.communities["e1"],
        world.grids["g2"],
        world.streets["east"],
    )
    assert note.tag_list == ["旧改", "晾衣架"]
    assert note.written_on == timezone.localdate()


def test_a_grid_workers_unlinked_note_files_under_their_grid(world):
    note = note_by(world, "grid_worker_1", "巡网格，楼道堆物已清理")
    assert note.grid == world.grids["g1"]


def test_it_hides_grid_1_notes_from_grid_worker_2(world, login):
    note = note_by(world, "grid_worker_1", "张三家下水道堵了", residents=[world.residents["zhang"]])
    assert FieldNote.objects.restrict(world.users["grid_worker_2"]).count() == 0
    client = login(world.users["grid_worker_2"])
    assert client.get(reverse("visits:diary_detail", args=[note.pk])).status_code == 404
    assert client.get(reverse("visits:diary_edit", args=[note.pk])).status_code == 404
    response = client.post(reverse("visits:diary_edit", args=[note.pk]), {"written_on": "2026-01-01", "text": "改掉"})
    assert response.status_code == 404
    assert "张三家下水道" not in client.get(reverse("visits:diary_list")).content.decode()
    with pytest.raises(Exception) as exc:
        update_note(note, actor=actor_of(world.users["grid_worker_2"]), text="改掉")
    assert exc.type.__name__ == "Http404"
    note.refresh_from_db()
    assert note.text == "张三家下水道堵了"


def test_the_secretary_sees_the_note_but_only_the_author_edits_it(world, login):
    note = note_by(world, "grid_worker_1", "张三家下水道堵了")
    client = login(world.users["secretary"])
    assert client.get(reverse("visits:diary_detail", args=[note.pk])).status_code == 200
    assert client.get(reverse("visits:diary_edit", args=[note.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        update_note(note, actor=actor_of(world.users["secretary"]), text="改掉")


def test_dept_handler_gets_403(world, login):
    note = note_by(world, "secretary", "议事会", grid=world.grids["g1"])
    client = login(world.users["dept_handler"])
    for url in (
        reverse("visits:diary_list"),
        reverse("visits:diary_add"),
        reverse("visits:diary_detail", args=[note.pk]),
    ):
        assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        note_by(world, "dept_handler", "试试")


def test_linking_an_out_of_scope_resident_is_refused(world, login):
    with pytest.raises(ValidationError) as exc:
        note_by(world, "grid_worker_2", "走访", residents=[world.residents["zhang"]])
    assert "不在您的管辖范围内" in str(exc.value)
    with pytest.raises(ValidationError):
        note_by(world, "grid_worker_2", "走访", buildings=[world.buildings["b1"]])
    client = login(world.users["grid_worker_2"])
    response = client.post(
        reverse("visits:diary_add"),
        {"written_on": timezone.localdate().isoformat(), "text": "走访", "residents": "张三"},
    )
    assert response.status_code == 200
    assert "没有找到名叫“张三”的居民" in response.content.decode()
    assert not FieldNote.objects.exists()


def test_the_form_links_residents_by_name_and_asks_when_a_name_is_ambiguous(world, login):
    from linli.testing import make_resident

    other = make_resident(world.buildings["b1"], "张三", room="102", seq=9, sex="M")
    client = login(world.users["grid_worker_1"])
    today = timezone.localdate().isoformat()
    response = client.post(reverse("visits:diary_add"), {"written_on": today, "text": "看望", "residents": "张三"})
    assert "有2位居民叫“张三”" in response.content.decode()
    response = client.post(
        reverse("visits:diary_add"),
        {"written_on": today, "text": "看望两位老人", "residents": f"张三#{other.pk}，陈奶奶", "tags": "独居"},
    )
    note = FieldNote.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("visits:diary_detail", args=[note.pk])
    assert set(note.residents.all()) == {other, world.residents["chen"]}
    assert note.author == world.users["grid_worker_1"]


def test_search_finds_notes_by_text_tag_and_resident_name(world, login):
    a = note_by(world, "secretary", "南马道商户提议办读书会", grid=world.grids["g1"], tags=["商户", "读书会"])
    b = note_by(world, "secretary", "下水管堵了", residents=[world.residents["wang"]], tags=["物业"])
    c = note_by(
        world,
        "secretary",
        "读书会第二次活动",
        grid=world.grids["g2"],
        written_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    notes = FieldNote.objects.restrict(world.users["secretary"])
    assert list(notes.search("读书会")) == [a, c]
    assert list(notes.search("物业")) == [b]
    assert list(notes.search("王五")) == [b]
    assert list(notes.search("读书会 第二次")) == [c]
    assert list(notes.tagged("读书会")) == [a]
    assert list(notes.tagged("读书")) == []
    client = login(world.users["secretary"])
    page = client.get(
        reverse("visits:diary_list"), {"q": "王五"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="diary-results"
    )
    body = page.content.decode()
    assert "<html" not in body and "下水管堵了" in body and "南马道" not in body
    full = client.get(reverse("visits:diary_list")).content.decode()
    assert full.index("下水管堵了") < full.index("读书会第二次活动")  # newest first


def test_the_residents_page_shows_the_note(world, login):
    note_by(world, "grid_worker_1", "陈奶奶说楼道灯坏了", residents=[world.residents["chen"]])
    body = (
        login(world.users["grid_worker_1"])
        .get(reverse("residents:resident_detail", args=[world.residents["chen"].pk]))
        .content.decode()
    )
    assert "民情日记" in body and "陈奶奶说楼道灯坏了" in body


def test_writing_and_editing_a_note_leaves_change_records(world):
    note = note_by(world, "grid_worker_1", "初稿", tags="旧改")
    update_note(
        note,
        actor=actor_of(world.users["grid_worker_1"]),
        text="改稿",
        tags="旧改 水管",
        residents=[world.residents["li"]],
    )
    records = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(FieldNote), object_id=note.pk
    ).order_by("id")
    assert [r.action for r in records] == [ChangeAction.CREATE, ChangeAction.UPDATE]
    assert records[0].actor == world.users["grid_worker_1"]
    changes = records[1].changes
    assert changes["内容"] == ["初稿", "改稿"]
    assert changes["标签"] == [["旧改"], ["旧改", "水管"]]
    assert changes["相关居民"] == [[], ["李四"]]


def test_a_note_cannot_be_dated_in_the_future_or_left_empty(world):
    with pytest.raises(ValidationError) as exc:
        note_by(world, "grid_worker_1", "  ", written_on=timezone.localdate() + datetime.timedelta(days=1))
    assert set(exc.value.error_dict) == {"text", "written_on"}


def test_the_author_edits_a_note_through_the_form(world, login):
    note = note_by(world, "grid_worker_1", "初稿", residents=[world.residents["zhang"]], tags="旧改")
    client = login(world.users["grid_worker_1"])
    page = client.get(reverse("visits:diary_edit", args=[note.pk])).content.decode()
    assert f"张三#{world.residents['zhang'].pk}" in page and "旧改" in page
    response = client.post(
        reverse("visits:diary_edit", args=[note.pk]),
        {"written_on": note.written_on.isoformat(), "text": "改稿", "tags": "旧改 水管", "residents": "李四"},
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "改稿" and note.tag_list == ["旧改", "水管"]
    assert list(note.residents.all()) == [world.residents["li"]]
    assert "改稿" in client.get(reverse("visits:diary_detail", args=[note.pk])).content.decode()
