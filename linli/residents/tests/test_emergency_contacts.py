"""Emergency contacts: kept by staff in scope, phones validated and masked like the resident's own,
in the resident's history, and shown on the visit alert that asks the secretary to call them."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from linli.core.audit import Actor
from linli.core.models import ChangeRecord
from linli.residents.models import EmergencyContact
from linli.residents.services_contacts import add_contact, delete_contact, update_contact
from linli.visits.tests.helpers import visit

pytestmark = pytest.mark.django_db


def add(world, resident="zhang", user="grid_worker_1", **kw):
    values = {"name": "张小明", "relation": "child", "phone": "139 1234 5678", "note": "住在本小区5栋"} | kw
    return add_contact(world.residents[resident], actor=Actor(user=world.users[user]), **values)


def test_a_contact_is_added_with_a_normalised_phone_and_recorded_masked(world):
    contact = add(world)
    assert (contact.phone, contact.phone_last4, contact.get_relation_display()) == ("13912345678", "5678", "子女")
    record = (
        ChangeRecord.objects.filter(content_type__model="resident", object_id=world.residents["zhang"].pk)
        .order_by("-id")
        .first()
    )
    assert record.changes["紧急联系人"] == [[], ["张小明（子女） 139****5678"]]
    assert "13912345678" not in str(record.changes)


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"name": " "}, "name"),
        ({"relation": "boss"}, "relation"),
        ({"phone": "12345"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"phone": "１３９１２３４５６７８９"}, "phone"),
    ],
)
def test_it_refuses_bad_values_with_a_chinese_message_and_changes_nothing(world, kw, field):
    with pytest.raises(ValidationError) as exc:
        add(world, **kw)
    assert field in exc.value.message_dict
    assert all("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message_dict[field][0][:1])
    assert not EmergencyContact.objects.exists()


def test_it_refuses_residents_outside_the_workers_grid(world):
    with pytest.raises(Http404):
        add(world, user="grid_worker_2")
    contact = add(world)
    with pytest.raises(Http404):
        update_contact(contact, actor=Actor(user=world.users["grid_worker_2"]), name="x", relation="other", phone="")
    with pytest.raises(Http404):
        delete_contact(contact, actor=Actor(user=world.users["grid_worker_2"]))
    assert EmergencyContact.objects.count() == 1


def test_staff_add_edit_and_delete_on_the_resident_page(world, login):
    zhang = world.residents["zhang"]
    client = login(world.users["staff"])
    response = client.post(
        reverse("residents:contact_add", args=[zhang.pk]),
        {"name": "张小红", "relation": "neighbour", "phone": "027-8765 4321", "note": ""},
    )
    assert response.status_code == 302
    contact = EmergencyContact.objects.get()
    assert contact.phone == "027-87654321"
    body = client.get(zhang.get_absolute_url()).content.decode()
    assert "张小红" in body and "邻居" in body and 'href="tel:027-87654321"' in body
    response = client.post(
        reverse("residents:contact_edit", args=[contact.pk]), {"name": "张小红", "relation": "child", "phone": "1"}
    )
    assert response.status_code == 200 and "手机号码格式不正确" in response.content.decode()
    assert EmergencyContact.objects.get().relation == "neighbour"
    client.post(reverse("residents:contact_delete", args=[contact.pk]))
    assert not EmergencyContact.objects.exists()
    # another grid's worker and a department handler cannot reach it
    other = login(world.users["grid_worker_2"])
    assert other.get(reverse("residents:contact_add", args=[zhang.pk])).status_code == 404
    assert login(world.users["dept_handler"]).get(reverse("residents:contact_add", args=[zhang.pk])).status_code == 403


def test_roles_without_reveal_phone_see_the_contacts_phone_masked(world, login, monkeypatch):
    add(world)
    zhang = world.residents["zhang"]
    from linli.accounts.models import User

    real = User.has_role_perm
    monkeypatch.setattr(User, "has_role_perm", lambda self, p: p != "resident.reveal_phone" and real(self, p))
    body = login(world.users["staff"]).get(zhang.get_absolute_url()).content.decode()
    assert "139****5678" in body and "13912345678" not in body


def test_the_missed_visits_alert_shows_the_contacts_to_call(world, login):
    add(world)
    zhang = world.residents["zhang"]
    for day in (-3, -2, -1):
        visit(zhang, day, "not_home")
    body = login(world.users["secretary"]).get(reverse("visits:alert_list")).content.decode()
    assert "连续三次不在家" in body
    assert "张小明（子女）" in body and 'href="tel:13912345678"' in body
