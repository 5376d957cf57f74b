"""An independent Open311 client (the `georeport` package from PyPI) talks to Linli.

georeport builds its own URLs and parameters and sends them with `requests`; only the socket is
replaced: a requests transport adapter hands each prepared request to Django's test client (no
live_server: a transactional test's flush would wipe migration data other tests rely on).

georeport reads services, definitions and requests in JSON and XML but cannot create requests, so a
request is created with `requests.post` of a form (as any GeoReport client sends it) and read back
through georeport. (The other Open311 clients on PyPI, `open311` 1.1 and `three` 0.8.0, are Python 2 only.)
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

georeport = pytest.importorskip("georeport")

ROOT = "http://linli.test/open311/v2/"


class DjangoClientAdapter(BaseAdapter):
    """Answers requests' prepared requests with the Django test client."""

    def __init__(self, client):
        super().__init__()
        self.client = client
        self.seen = []

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.seen.append((request.method, path))
        body = request.body or b""
        answer = self.client.generic(
            request.method,
            path,
            body.encode() if isinstance(body, str) else body,
            content_type=request.headers.get("Content-Type", ""),
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.reason = answer.reason_phrase
        response.headers = CaseInsensitiveDict(dict(answer.items()))
        response._content = answer.content
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


@pytest.fixture
def transport(client, monkeypatch):
    adapter = DjangoClientAdapter(client)
    original = requests.Session.get_adapter
    monkeypatch.setattr(
        requests.Session,
        "get_adapter",
        lambda self, url: adapter if url.startswith("http://linli.test/") else original(self, url),
    )
    return adapter


@pytest.fixture
def linli(ow, transport):
    return georeport.GeoReport(ROOT, jurisdiction="e1")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_client_reads_services_and_definitions(linli, fmt):
    linli.output_format = fmt
    services = linli.get_service_list()
    codes = {s["service_code"] for s in services}
    assert {"corridor_light", "water_outage", "school"} <= codes
    light = next(s for s in services if s["service_code"] == "corridor_light")
    assert light["service_name"] == "楼道照明"
    definition = linli.get_service_definition("corridor_light")
    assert definition["service_code"] == "corridor_light"
    attributes = definition["attributes"]
    attribute = attributes[0] if fmt == "json" else attributes["attribute"]
    assert attribute["code"] == "urgency"


def test_a_request_created_over_http_reads_back_through_the_client(ow, linli, transport):
    response = requests.post(
        ROOT + "requests.json",
        data={
            "api_key": ow.keys["e1"],
            "jurisdiction_id": "e1",
            "service_code": "corridor_light",
            "address_string": "1栋2单元502",
            "description": "1栋2单元楼道灯不亮，我是李四，电话13987654321",
            "first_name": "四",
            "last_name": "李",
            "phone": "13987654321",
            "attribute[urgency]": "expedited",
        },
        timeout=10,
    )
    assert response.status_code == 201, response.text
    number = response.json()[0]["service_request_id"]

    linli.output_format = "json"
    row = linli.get_service_request(number)
    assert row["service_request_id"] == number and row["status"] == "open"
    assert row["service_code"] == "corridor_light" and row["address"] == "东一社区1栋"
    listed = linli.get_service_requests(status="open", service_code="corridor_light")
    assert [r["service_request_id"] for r in listed] == [number]

    linli.output_format = "xml"
    row = linli.get_service_request(number)
    assert row["service_request_id"] == number and row["status"] == "open"
    assert row["agency_responsible"] == "东一社区"
    assert "李四" not in str(row) and "13987654321" not in str(row) and "502" not in str(row)


def test_the_client_sees_refusals_as_http_errors(ow, linli, transport):
    with pytest.raises(requests.HTTPError) as error:
        linli.get_service_definition("no_such")
    assert error.value.response.status_code == 404
    assert error.value.response.json()[0]["code"] == 404
    with pytest.raises(requests.HTTPError):
        linli.get_service_requests(start_date="not-a-date")
    bad = requests.post(ROOT + "requests.xml", data={"api_key": "o311_wrong", "service_code": "x"}, timeout=10)
    assert bad.status_code == 403 and b"<errors><error><code>403</code>" in bad.content


def test_the_client_sends_what_the_specification_says(linli, transport):
    linli.get_service_requests(status="closed", start_date="2026-01-01T00:00:00Z")
    method, path = transport.seen[-1]
    assert method == "GET" and path.startswith("/open311/v2/requests.json?")
    assert "jurisdiction_id=e1" in path and "status=closed" in path
