"""Emergency contacts over the resident API: listed with the resident, masked like the resident's phone,
replaced by a write, refused with Chinese messages when a value is bad."""

import pytest
from django.test import Client

from linli.accounts.models import ApiToken
from linli.core.audit import Actor
from linli.residents.models import EmergencyContact
from linli.residents.services_contacts import add_contact

pytestmark = pytest.mark.django_db


def detail(resident):
    return f"/api/residents/{resident.pk}"


@pytest.fixture
def zhang_with_contact(world):
    zhang = world.residents["zhang"]
    add_contact(zhang, actor=Actor.cli("test"), name="张小明", relation="child", phone="13912345678", note="")
    return zhang


def test_the_detail_and_the_list_carry_the_contacts(world, login, zhang_with_contact):
    client = login(world.users["grid_worker_1"])
    data = client.get(detail(zhang_with_contact)).json()
    assert data["emergency_contacts"] == [
        {"name": "张小明", "relation": "child", "relation_label": "子女", "phone": "13912345678", "note": ""}
    ]
    items = client.get("/api/residents").json()["items"]
    assert [r["emergency_contacts"] for r in items if r["id"] == zhang_with_contact.pk][0][0]["name"] == "张小明"


def test_a_token_without_personal_data_gets_the_contacts_phone_masked(world, zhang_with_contact):
    client = Client()
    _, key = ApiToken.issue(world.users["grid_worker_1"], "脚本")
    data = client.get(detail(zhang_with_contact), HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert data["emergency_contacts"][0]["phone"] == "139****5678"
    _, key = ApiToken.issue(world.users["grid_worker_1"], "全量", personal_data=True)
    data = client.get(detail(zhang_with_contact), HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert data["emergency_contacts"][0]["phone"] == "13912345678"


def test_a_patch_replaces_the_contacts_and_a_bad_phone_changes_nothing(world, login, zhang_with_contact):
    client = login(world.users["grid_worker_1"])
    bad = {"emergency_contacts": [{"name": "王芳", "relation": "spouse", "phone": "12"}], "note": "改了"}
    response = client.patch(detail(zhang_with_contact), bad, content_type="application/json")
    assert response.status_code == 422
    assert "第1位紧急联系人" in response.content.decode("utf-8") and "手机号码格式不正确" in response.content.decode()
    assert list(EmergencyContact.objects.values_list("name", flat=True)) == ["张小明"]
    zhang_with_contact.refresh_from_db()
    assert zhang_with_contact.note != "改了"
    good = {"emergency_contacts": [{"name": "王芳", "relation": "spouse", "phone": "027 8765 4321"}]}
    response = client.patch(detail(zhang_with_contact), good, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["emergency_contacts"][0]["phone"] == "027-87654321"
    assert list(EmergencyContact.objects.values_list("name", "relation")) == [("王芳", "spouse")]
    bad_relation = {"emergency_contacts": [{"name": "x", "relation": "boss", "phone": "13912345678"}]}
    assert client.patch(detail(zhang_with_contact), bad_relation, content_type="application/json").status_code == 422
