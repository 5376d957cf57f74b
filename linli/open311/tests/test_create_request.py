"""POST Service Request: a valid request becomes an appeal (待派单) on the API or 12345 channel; bad input changes nothing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from linli.appeals.choices import Channel, EventAction, Status, Urgency
from linli.appeals.models import Appeal, AppealEvent
from linli.core.audit import actor_of
from linli.open311.models import ApiKey, Open311Request
from linli.open311.services import revoke_key
from linli.open311.tests.conftest import post, valid


def test_it_creates_an_appeal_on_the_api_channel(ow, client):
    response = post(client, valid(ow))
    assert response.status_code == 201, response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    [row] = response.json()
    appeal = Appeal.objects.get(number=row["service_request_id"])
    assert set(row) == {"service_request_id", "service_notice", "account_id"}
    assert appeal.number in row["service_notice"] and "物业服务企业" in row["service_notice"]
    assert appeal.channel == Channel.API
    assert appeal.status == Status.PENDING_DISPATCH
    assert appeal.community == ow.communities["e1"]
    assert appeal.category.code == "corridor_light"
    assert appeal.household.room == "101" and appeal.building == ow.buildings["b1"]
    assert appeal.reporter_name == "王芳" and appeal.reporter_phone == "13800001111"
    event = AppealEvent.objects.get(appeal=appeal, action=EventAction.CREATED)
    assert event.actor is None and event.actor_label == "Open311：东一随手拍"
    extra = Open311Request.objects.get(appeal=appeal)
    assert extra.api_key.name == "东一随手拍" and extra.address_string == "1栋1单元101"
    assert ApiKey.objects.get(name="东一随手拍").last_used_at is not None


def test_a_hotline_key_files_on_the_12345_channel(ow, client):
    response = post(client, valid(ow, api_key=ow.keys["hotline"], **{"attribute[urgency]": "urgent"}))
    assert response.status_code == 201
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.HOTLINE
    assert appeal.urgency == Urgency.URGENT


def test_it_answers_in_xml(ow, client):
    response = post(client, valid(ow), fmt="xml")
    assert response.status_code == 201
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == Appeal.objects.get().number


def test_location_by_lat_long_only(ow, client):
    response = post(client, valid(ow, address_string=None, lat="30.592800", long="114.305500"))
    assert response.status_code == 201, response.content.decode()
    appeal = Appeal.objects.get()
    assert appeal.building is None and appeal.address == "经纬度 30.592800,114.305500"
    assert float(appeal.open311.lat) == pytest.approx(30.5928)


def test_location_by_address_id_is_a_building_of_the_community(ow, client):
    response = post(client, valid(ow, address_string=None, address_id=str(ow.buildings["b2"].pk)))
    assert response.status_code == 201
    assert Appeal.objects.get().building == ow.buildings["b2"]
    other = post(client, valid(ow, address_string=None, address_id=str(ow.buildings["b4"].pk)))
    assert other.status_code == 400
    assert "address_id" in other.json()[0]["description"]


def test_an_unmatched_address_is_kept_as_written(ow, client):
    response = post(client, valid(ow, address_string="青山路12号公交站旁"))
    assert response.status_code == 201
    appeal = Appeal.objects.get()
    assert appeal.building is None and appeal.address == "青山路12号公交站旁"


def test_a_building_inside_a_longer_address_is_matched(ow, client):
    response = post(client, valid(ow, address_string="东一社区青和居2栋门口"))
    assert response.status_code == 201
    assert Appeal.objects.get().building == ow.buildings["b2"]


def test_no_name_and_no_phone_is_anonymous(ow, client):
    response = post(client, valid(ow, first_name=None, last_name=None, phone=None, email="a@example.com"))
    assert response.status_code == 201
    appeal = Appeal.objects.get()
    assert appeal.anonymous and appeal.open311.email == "a@example.com"


def test_emoji_and_mixed_scripts_are_kept(ow, client):
    text = "路灯不亮了😡💡 Street light out, 樓道燈也壞了"
    response = post(client, valid(ow, description=text))
    assert response.status_code == 201
    assert Appeal.objects.get().text == text


def test_api_key_and_jurisdiction_may_come_in_the_query(ow, client):
    data = valid(ow)
    key = data.pop("api_key")
    response = post(client, data, api_key=key, jurisdiction_id="e1")
    assert response.status_code == 201


def test_a_street_key_names_the_community(ow, client):
    response = post(client, valid(ow, api_key=ow.keys["east"], jurisdiction_id="e2", address_string="1栋"))
    assert response.status_code == 201
    assert Appeal.objects.get().building == ow.buildings["b3"]


def _refused(client, data, status, *words, fmt="json"):
    before = (Appeal.objects.count(), Open311Request.objects.count(), AppealEvent.objects.count())
    response = post(client, data, fmt=fmt)
    assert response.status_code == status, response.content.decode()
    assert (Appeal.objects.count(), Open311Request.objects.count(), AppealEvent.objects.count()) == before
    if fmt == "xml":
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        text = " ".join(e.find("description").text for e in root.findall("error"))
        assert {e.find("code").text for e in root.findall("error")} == {str(status)}
    else:
        body = response.json()
        assert isinstance(body, list) and body and all(set(e) == {"code", "description"} for e in body)
        assert {e["code"] for e in body} == {status}
        text = " ".join(e["description"] for e in body)
    for word in words:
        assert word in text
    return text


def test_unknown_service_code(ow, client):
    _refused(client, valid(ow, service_code="no_such"), 400, "service_code", "no_such")
    _refused(client, valid(ow, service_code=None), 400, "service_code")


def test_missing_location(ow, client):
    _refused(client, valid(ow, address_string=None), 400, "lat", "address_string", "address_id")
    _refused(client, valid(ow, address_string=None, lat="30.5"), 400, "long")
    _refused(client, valid(ow, address_string=None, lat="北纬30", long="114"), 400, "lat")
    _refused(client, valid(ow, address_string=None, lat="95", long="114"), 400, "lat")
    _refused(client, valid(ow, address_string=None, lat="NaN", long="114"), 400, "lat")


def test_missing_or_bad_api_key(ow, client):
    _refused(client, valid(ow, api_key=None), 403, "api_key")
    _refused(client, valid(ow, api_key="o311_not-a-key"), 403, "api_key 无效")
    _refused(client, valid(ow, api_key="o311_not-a-key"), 403, "api_key", fmt="xml")


def test_revoked_key(ow, client):
    key = ApiKey.objects.get(name="东一随手拍")
    revoke_key(key, actor=actor_of(ow.users["secretary"]))
    _refused(client, valid(ow), 403, "已作废")


def test_a_key_dies_with_its_makers_account(ow, client):
    secretary = ow.users["secretary"]
    from linli.open311.services import issue_key

    _, raw = issue_key(actor=actor_of(secretary), name="书记的看板", community=ow.communities["e1"])
    secretary.is_active = False
    secretary.save()
    _refused(client, valid(ow, api_key=raw), 403, "已作废")


def test_a_community_key_cannot_file_elsewhere(ow, client):
    _refused(client, valid(ow, jurisdiction_id="w1"), 403, "东一社区")
    _refused(client, valid(ow, jurisdiction_id="nowhere"), 404, "nowhere")


def test_a_street_key_needs_a_community_of_its_street(ow, client):
    _refused(client, valid(ow, api_key=ow.keys["east"]), 400, "jurisdiction_id")
    _refused(client, valid(ow, api_key=ow.keys["east"], jurisdiction_id="w1"), 403, "东街")


def test_description_too_long_or_empty(ow, client):
    text = _refused(client, valid(ow, description="灯" * 10_000), 400, "description", "10000")
    assert len(text) < 200
    _refused(client, valid(ow, description="   "), 400, "description")
    _refused(client, valid(ow, description=None), 400, "description")


def test_control_characters_are_dropped_not_stored(ow, client):
    response = post(client, valid(ow, description="灯坏了\x00\x07"))
    assert response.status_code == 201
    assert Appeal.objects.get().text == "灯坏了"
    _refused(client, valid(ow, description="\x00\x01"), 400, "description")


def test_attributes_and_contact_are_checked(ow, client):
    _refused(client, valid(ow, **{"attribute[colour]": "red"}), 400, "attribute[colour]")
    _refused(client, valid(ow, **{"attribute[urgency]": "asap"}), 400, "attribute[urgency]")
    _refused(client, valid(ow, phone="12ab"), 400, "phone")
    _refused(client, valid(ow, email="not-an-email"), 400, "email")
    _refused(client, valid(ow, media_url="javascript:alert(1)"), 400, "media_url")


def test_every_problem_is_reported_at_once(ow, client):
    text = _refused(client, valid(ow, service_code="x", description="", address_string=None), 400)
    assert "service_code" in text and "description" in text and "address_id" in text


def test_other_methods_and_formats(ow, client):
    response = client.put("/open311/v2/requests.json")
    assert response.status_code == 405 and response.json()[0]["code"] == 405
    response = client.post("/open311/v2/services.json", valid(ow))
    assert response.status_code == 405
    response = client.get("/open311/v2/requests.csv")
    assert response.status_code == 400 and "json" in response.json()[0]["description"]
