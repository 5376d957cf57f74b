"""GET Service Requests and GET Service Request: statuses, filters, formats, and nothing personal leaks."""

from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from linli.appeals import services as appeal_services
from linli.appeals.choices import Channel, Outcome, ReplyMethod
from linli.appeals.models import Category
from linli.open311.tests.conftest import BASE
from linli.testing import SYSTEM

FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
PRIVATE_TEXT = "我是李四，电话13987654321，住1栋2单元502，楼道灯坏了，张三家门口最黑。"


def _appeal(ow, *, category="corridor_light", building="b1", text=PRIVATE_TEXT, **kwargs):
    kwargs.setdefault("reporter_name", "李四")
    kwargs.setdefault("reporter_phone", "13987654321")
    return appeal_services.create_appeal(
        actor=SYSTEM,
        text=text,
        channel=Channel.PHONE,
        category=Category.objects.get(code=category),
        building=ow.buildings[building] if building else None,
        **kwargs,
    )


def _closed(ow):
    appeal = _appeal(ow)
    appeal = appeal_services.dispatch(appeal, ow.orgs["property"].unit, actor=SYSTEM)
    appeal = appeal_services.sign(appeal, actor=SYSTEM)
    appeal = appeal_services.resolve(
        appeal,
        actor=SYSTEM,
        outcome=Outcome.PARTLY,
        resolution="已更换1栋2单元502门口灯泡，李四确认。",
        explanation="线路老化需要整体改造，已联系李四（13987654321），下月施工。",
        public_summary="1栋2单元502李四反映的楼道灯已修好",
        public_reply="线路老化需要整体改造，张三家门口先装了临时灯，下月施工。",
    )
    return appeal_services.reply(appeal, actor=SYSTEM, text="电话告知李四", method=ReplyMethod.PHONE)


def _get(client, path="requests.json", **params):
    response = client.get(BASE + path, params)
    return response


def test_a_request_in_every_field_of_the_specification(ow, client):
    appeal = _closed(ow)
    response = _get(client, f"requests/{appeal.number}.json")
    assert response.status_code == 200
    [row] = response.json()
    assert list(row) == FIELDS
    assert row["service_request_id"] == appeal.number
    assert row["status"] == "closed"
    assert row["status_notes"].startswith("已结案：部分解决。")
    assert "下月施工" in row["status_notes"]
    assert row["service_code"] == "corridor_light" and row["service_name"] == "楼道照明"
    assert row["agency_responsible"] == "东一物业服务中心"
    assert row["address"] == "东一社区1栋" and row["address_id"] == str(ow.buildings["b1"].pk)
    expected = datetime.datetime.fromisoformat(row["expected_datetime"])
    assert expected == appeal.resolve_due and row["expected_datetime"].endswith("+08:00")
    assert datetime.datetime.fromisoformat(row["requested_datetime"]).utcoffset() == datetime.timedelta(hours=8)
    assert row["updated_datetime"]


def test_nothing_personal_is_published(ow, client):
    _closed(ow)
    _appeal(ow, reporter_name="陈奶奶", reporter_phone="13700000001")
    # the public ids (appeal numbers, building ids) are left out: "20261207-01502" is not room 502
    ids = ("service_request_id", "address_id")
    rows = [{k: v for k, v in row.items() if k not in ids} for row in _get(client).json()]
    xml = re.sub(r"<(service_request_id|address_id)>[^<]*</\1>", "", _get(client, "requests.xml").content.decode())
    body = json.dumps(rows, ensure_ascii=False) + xml
    assert "<address>" in xml and "<service_request_id>" not in xml
    for secret in ("李四", "陈奶奶", "张三", "13987654321", "13700000001", "502", "2单元", "门口最黑", "电话告知"):
        assert secret not in body, secret
    rows = _get(client).json()
    assert {r["description"] for r in rows} == {"1栋某居民反映的楼道灯已修好", "楼道照明问题"}


def test_open_and_closed(ow, client):
    closed = _closed(ow)
    waiting = _appeal(ow)
    withdrawn = appeal_services.withdraw(_appeal(ow), actor=SYSTEM, reason="居民已自行解决")
    rows = {r["service_request_id"]: r for r in _get(client).json()}
    assert rows[closed.number]["status"] == "closed"
    assert rows[withdrawn.number]["status"] == "closed" and rows[withdrawn.number]["status_notes"] == "已撤销"
    assert rows[waiting.number]["status"] == "open" and rows[waiting.number]["status_notes"] == "待派单"
    assert rows[waiting.number]["agency_responsible"] == "东一社区"
    assert rows[waiting.number]["expected_datetime"] is None
    assert [r["service_request_id"] for r in _get(client, status="open").json()] == [waiting.number]
    assert {r["service_request_id"] for r in _get(client, status="closed").json()} == {closed.number, withdrawn.number}
    assert len(_get(client, status="open,closed").json()) == 3


def test_filters(ow, client):
    light = _appeal(ow)
    water = _appeal(ow, category="water_outage", building="b3")
    old = _appeal(ow, received_at=timezone.now() - datetime.timedelta(days=120))
    numbers = lambda **p: {r["service_request_id"] for r in _get(client, **p).json()}  # noqa: E731
    assert numbers() == {light.number, water.number}  # the last 90 days by default
    assert numbers(service_code="water_outage") == {water.number}
    assert numbers(service_code="water_outage,corridor_light") == {light.number, water.number}
    assert numbers(jurisdiction_id="e2") == {water.number}
    since = (timezone.now() - datetime.timedelta(days=150)).isoformat()
    until = (timezone.now() - datetime.timedelta(days=100)).isoformat()
    assert numbers(start_date=since, end_date=until) == {old.number}
    assert numbers(start_date=(timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")) == {
        light.number,
        water.number,
    }
    # service_request_id overrides every other filter, old or not
    assert numbers(service_request_id=f"{old.number},{water.number}", service_code="corridor_light") == {
        old.number,
        water.number,
    }


@pytest.mark.parametrize(
    "params, words",
    [
        ({"start_date": "yesterday"}, ["start_date", "W3C"]),
        ({"end_date": "2026-13-45"}, ["end_date"]),
        ({"start_date": "2026-03-01T00:00:00+08:00", "end_date": "2026-01-01T00:00:00+08:00"}, ["不能晚于"]),
        ({"start_date": "2025-01-01", "end_date": "2026-01-01"}, ["90天"]),
        ({"status": "pending"}, ["open", "closed"]),
        ({"service_code": "nope"}, ["nope"]),
        ({"jurisdiction_id": "nowhere"}, ["nowhere"]),
        ({"api_key": "o311_wrong"}, ["api_key"]),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_explained(ow, client, params, words, fmt):
    response = _get(client, f"requests.{fmt}", **params)
    assert response.status_code in (400, 403, 404)
    if fmt == "json":
        [error] = response.json()
        assert error["code"] == response.status_code
        text = error["description"]
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        assert root.find("error/code").text == str(response.status_code)
        text = root.find("error/description").text
    for word in words:
        assert word in text


def test_xml_listing(ow, client):
    appeal = _closed(ow)
    response = _get(client, "requests.xml")
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == FIELDS
    assert request.find("service_request_id").text == appeal.number
    assert request.find("status").text == "closed"
    single = ET.fromstring(_get(client, f"requests/{appeal.number}.xml").content)
    assert single.tag == "service_requests" and single.find("request/status").text == "closed"


def test_unknown_request_is_a_404(ow, client):
    response = _get(client, "requests/20990101-99999.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_sensitive_kinds_only_with_a_key_of_their_community(ow, client):
    relief = _appeal(ow, category="relief")
    dispute = _appeal(ow, category="family_dispute", building="b4")
    assert _get(client).json() == []
    assert _get(client, f"requests/{relief.number}.json").status_code == 404
    mine = {r["service_request_id"] for r in _get(client, api_key=ow.keys["e1"]).json()}
    assert mine == {relief.number}
    street = {r["service_request_id"] for r in _get(client, api_key=ow.keys["east"]).json()}
    assert street == {relief.number}
    [row] = _get(client, f"requests/{relief.number}.json", api_key=ow.keys["e1"]).json()
    assert row["description"] == "低保与救助问题" and "李四" not in json.dumps(row, ensure_ascii=False)
    assert dispute.number not in street


def test_a_posted_request_reads_back_without_its_contact(ow, client):
    from linli.open311.tests.conftest import post, valid

    created = post(client, valid(ow, address_string=None, lat="30.5", long="114.3")).json()[0]
    [row] = _get(client, f"requests/{created['service_request_id']}.json").json()
    assert row["status"] == "open" and row["lat"] == 30.5 and row["long"] == 114.3
    assert row["address"] == "东一社区"
    assert "王芳" not in json.dumps(row, ensure_ascii=False) and "13800001111" not in json.dumps(row)


def test_the_listing_reads_in_few_queries(ow, client, django_assert_max_num_queries):
    for _ in range(5):
        _closed(ow)
    with django_assert_max_num_queries(6):
        assert len(_get(client).json()) == 5


def test_at_most_1000(ow, client, monkeypatch):
    from linli.open311 import views

    monkeypatch.setattr(views, "MAX_REQUESTS", 2)
    for _ in range(3):
        _appeal(ow)
    assert len(_get(client).json()) == 2
