"""GET Service List, GET Service Definition and discovery, in JSON and XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from linli.appeals.models import Category, CategoryRoute, HandlingUnit
from linli.open311.tests.conftest import BASE

SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]


def test_every_default_unit_has_a_service(ow, client):
    response = client.get(BASE + "services.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    rows = response.json()
    assert len(rows) == Category.objects.filter(is_active=True).count() >= 50
    assert all(list(r) == SERVICE_FIELDS for r in rows)
    assert {r["keywords"].split(",")[0] for r in rows} == set(HandlingUnit.objects.values_list("code", flat=True))
    light = next(r for r in rows if r["service_code"] == "corridor_light")
    assert light["service_name"] == "楼道照明" and light["group"] == "物业服务企业"
    assert light["metadata"] is True and light["type"] == "realtime"


def test_the_xml_service_list(ow, client):
    response = client.get(BASE + "services.xml")
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "services"
    first = root.find("service")
    assert [c.tag for c in first] == SERVICE_FIELDS
    assert first.find("metadata").text == "true"


def test_a_community_route_shows_in_its_jurisdiction(ow, client):
    category = Category.objects.get(code="corridor_light")
    CategoryRoute.objects.create(
        community=ow.communities["e1"], category=category, unit=HandlingUnit.objects.get(code="community")
    )
    group = lambda **p: next(  # noqa: E731
        r["group"] for r in client.get(BASE + "services.json", p).json() if r["service_code"] == "corridor_light"
    )
    assert group(jurisdiction_id="e1") == "社区居委会"
    assert group(jurisdiction_id="e2") == group() == "物业服务企业"
    response = client.get(BASE + "services.json", {"jurisdiction_id": "nowhere"})
    assert response.status_code == 404 and "nowhere" in response.json()[0]["description"]


def test_inactive_categories_are_not_offered(ow, client):
    Category.objects.filter(code="bus").update(is_active=False)
    codes = {r["service_code"] for r in client.get(BASE + "services.json").json()}
    assert "bus" not in codes and "road" in codes
    assert client.get(BASE + "services/bus.json").status_code == 404


def test_service_definition(ow, client):
    response = client.get(BASE + "services/lift.json")
    assert response.status_code == 200
    body = response.json()
    assert body["service_code"] == "lift"
    [attribute] = body["attributes"]
    assert list(attribute) == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert attribute["code"] == "urgency" and attribute["datatype"] == "singlevaluelist"
    assert attribute["required"] is False and "急办" in attribute["datatype_description"]
    assert {v["key"] for v in attribute["values"]} == {"urgent", "expedited", "normal", "complex"}
    root = ET.fromstring(client.get(BASE + "services/lift.xml").content)
    assert root.tag == "service_definition"
    assert root.find("service_code").text == "lift"
    values = root.findall("attributes/attribute/values/value")
    assert [v.find("key").text for v in values][:1] == ["urgent"] and values[0].find("name").text == "紧急"


def test_unknown_service_definition(ow, client):
    response = client.get(BASE + "services/no_such.xml")
    assert response.status_code == 404
    root = ET.fromstring(response.content)
    assert root.tag == "errors" and root.find("error/code").text == "404"
    assert "no_such" in root.find("error/description").text


def test_discovery(ow, client):
    body = client.get(BASE + "discovery.json").json()
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = ET.fromstring(client.get(BASE + "discovery.xml").content)
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]
    assert client.get(BASE).json()["endpoints"][0]["type"] == "production"
