"""Residents who move out or die are marked (迁出/死亡), not deleted; deletion is a street administrator's
action for entries made in error, and the audit trail (who viewed the ID number, who changed what) survives it."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import get_resolver, reverse

from linli.core.audit import Actor, record
from linli.core.models import ChangeAction, ChangeRecord
from linli.residents import services
from linli.residents.models import Resident, RevealRecord
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def reveal(client, resident):
    assert client.post(reverse("residents:resident_reveal_id", args=[resident.pk])).status_code == 302


def test_deleting_a_resident_keeps_the_record_of_who_viewed_their_id_number(world, login):
    zhang = world.residents["zhang"]
    reveal(login(world.users["secretary"]), zhang)
    client = login(world.users["street_admin"])
    response = client.post(reverse("residents:resident_delete", args=[zhang.pk]), {"reason": "重复登记"})
    assert response.status_code == 302
    assert not Resident.objects.filter(pk=zhang.pk).exists()
    kept = RevealRecord.objects.get()
    assert kept.resident is None and kept.user == world.users["secretary"]
    assert kept.resident_pk == zhang.pk
    assert kept.resident_label == f"张*（居民#{zhang.pk}）"
    assert kept.subject_label == f"张*（居民#{zhang.pk}）（已删除）"
    assert kept.community == world.communities["e1"]
    assert "张三" not in kept.resident_label  # masked: the log does not keep the name in clear


def test_the_reveal_log_lists_a_deleted_residents_reveals_by_their_label(world, login):
    zhang = world.residents["zhang"]
    reveal(login(world.users["secretary"]), zhang)
    services.delete_resident(zhang, actor=Actor.cli("test"), reason="测试")
    page = login(world.users["secretary"]).get(reverse("residents:reveal_list")).content.decode()
    assert f"张*（居民#{zhang.pk}）（已删除）" in page
    # a role without the logs (export.log) does not open it
    other = login(world.users["grid_worker_1"]).get(reverse("residents:reveal_list"))
    assert other.status_code == 403


@pytest.mark.parametrize("persona", ["grid_worker_1", "staff", "secretary"])
def test_only_street_administrators_delete_residents(world, login, persona):
    zhang = world.residents["zhang"]
    client = login(world.users[persona])
    assert client.get(reverse("residents:resident_delete", args=[zhang.pk])).status_code == 403
    assert client.post(reverse("residents:resident_delete", args=[zhang.pk]), {"reason": "不想要"}).status_code == 403
    assert Resident.objects.filter(pk=zhang.pk).exists()


def test_a_grid_worker_cannot_delete_through_the_service_either(world):
    with pytest.raises(PermissionDenied):
        services.delete_resident(world.residents["zhang"], actor=Actor(user=world.users["grid_worker_1"]), reason="x")
    assert Resident.objects.filter(pk=world.residents["zhang"].pk).exists()


def test_deletion_asks_for_a_reason_and_says_what_is_lost(world, login):
    zhang = world.residents["zhang"]
    client = login(world.users["street_admin"])
    page = client.get(reverse("residents:resident_delete", args=[zhang.pk])).content.decode()
    assert "删除后会丢失" in page and "走访记录" in page and "仍会保留" in page and "标记迁出/死亡" in page
    response = client.post(reverse("residents:resident_delete", args=[zhang.pk]), {"reason": "  "})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode() or "请填写删除原因" in response.content.decode()
    assert Resident.objects.filter(pk=zhang.pk).exists()


def test_a_grid_worker_marks_a_resident_moved_out(world, login):
    zhang = world.residents["zhang"]
    client = login(world.users["grid_worker_1"])
    detail = client.get(reverse("residents:resident_detail", args=[zhang.pk])).content.decode()
    assert "标记迁出/死亡" in detail and "删除错误登记" not in detail
    response = client.post(
        reverse("residents:resident_mark_left", args=[zhang.pk]),
        {"status": "moved_out", "date": "2026-03-01", "note": "随女儿迁往杭州"},
    )
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.status == "moved_out" and zhang.left_on == datetime.date(2026, 3, 1)
    change = ChangeRecord.objects.filter(object_id=zhang.pk, action="update").latest("id")
    assert change.changes["状态"] == ["在册", "已迁出"]
    assert change.note == "标记为已迁出：随女儿迁往杭州"
    assert change.actor == world.users["grid_worker_1"]
    listed = {r.name for r in client.get(reverse("residents:resident_list")).context["page"]}
    assert "张三" not in listed  # no longer in the active list; the record stays
    assert "已迁出（2026年3月1日）" in client.get(zhang.get_absolute_url()).content.decode()


def test_the_street_administrator_sees_deletion_as_a_secondary_action(world, login):
    page = login(world.users["street_admin"]).get(world.residents["zhang"].get_absolute_url()).content.decode()
    assert "标记迁出/死亡" in page and "删除错误登记" in page
    assert page.index("标记迁出/死亡") < page.index("删除错误登记")


def test_a_resident_marked_by_mistake_returns_to_the_registry(world):
    zhang = world.residents["zhang"]
    services.mark_resident_left(zhang, status="moved_out", date=datetime.date(2026, 1, 5), actor=SYSTEM)
    services.update_resident(zhang, actor=SYSTEM, status="active")
    zhang.refresh_from_db()
    assert zhang.status == "active" and zhang.left_on is None


def test_marking_deceased_works_through_the_service(world):
    chen = world.residents["chen"]
    services.mark_resident_left(
        chen, status="deceased", date=datetime.date(2026, 1, 5), actor=Actor(user=world.users["staff"])
    )
    chen.refresh_from_db()
    assert chen.status == "deceased" and chen.get_status_display() == "已故"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"status": "moved_out", "date": "2999-01-01"}, "日期不能晚于今天"),
        ({"status": "active", "date": "2026-01-01"}, "情况的选项无效，请重新选择"),
        ({"status": "moved_out", "date": ""}, "请填写日期"),
    ],
)
def test_marking_refuses_bad_input_and_changes_nothing(world, login, data, message):
    zhang = world.residents["zhang"]
    response = login(world.users["grid_worker_1"]).post(reverse("residents:resident_mark_left", args=[zhang.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    zhang.refresh_from_db()
    assert zhang.status == "active" and zhang.left_on is None


def test_marking_outside_scope_is_a_404(world, login):
    zhang = world.residents["zhang"]
    client = login(world.users["grid_worker_2"])
    response = client.post(
        reverse("residents:resident_mark_left", args=[zhang.pk]), {"status": "deceased", "date": "2026-01-01"}
    )
    assert response.status_code == 404
    zhang.refresh_from_db()
    assert zhang.status == "active"


def test_a_change_record_names_its_actor_after_the_account_is_deleted(world):
    from linli.testing import make_user

    clerk = make_user("clerk", "staff", world.communities["e1"])
    clerk.full_name = "临时办事员"
    clerk.save()
    row = record(world.residents["zhang"], ChangeAction.UPDATE, {"备注": ""}, {"备注": "x"}, Actor(user=clerk))
    clerk.delete()
    row.refresh_from_db()
    assert row.actor is None and row.actor_name == "临时办事员"


def test_the_data_migration_labels_existing_reveal_records(world):
    import importlib

    from django.apps import apps

    zhang = world.residents["zhang"]
    row = RevealRecord.objects.create(user=world.users["secretary"], resident=zhang, field="id_number")
    RevealRecord.objects.filter(pk=row.pk).update(resident_label="", resident_pk=None, community=None)
    importlib.import_module("linli.residents.migrations.0006_fill_reveal_labels").forwards(apps, None)
    row.refresh_from_db()
    assert (row.resident_label, row.resident_pk, row.community_id) == (
        f"张*（居民#{zhang.pk}）",
        zhang.pk,
        zhang.community_id,
    )


AUDIT_MODELS = {"residents.revealrecord", "core.exportrecord", "core.changerecord"}


def test_no_page_api_or_admin_deletes_audit_rows():
    """Audit rows are append-only: no admin, no URL whose view acts on them deletes, no API DELETE on them."""
    if "django.contrib.admin" in settings.INSTALLED_APPS:
        from django.contrib import admin

        for model, model_admin in admin.site._registry.items():
            if model._meta.label_lower in AUDIT_MODELS:
                assert not model_admin.has_delete_permission(None), model

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.callback

    for route, callback in walk(get_resolver()):
        view = getattr(callback, "view_class", None)
        model = getattr(view, "model", None)
        if model is not None and model._meta.label_lower in AUDIT_MODELS:
            assert not hasattr(view, "delete") and getattr(view, "action", "view") != "delete", route

    from linli.api import api

    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        if any(word in path for word in ("reveal", "export", "history", "change")):
            assert "delete" not in operations, path
