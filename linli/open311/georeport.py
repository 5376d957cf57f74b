"""GeoReport v2 documents: what Linli's directory and appeals look like to an Open311 client, in JSON or XML.

Field names, order and XML element names follow the GeoReport v2 specification
(<services><service>, <service_definition>, <service_requests><request>, <errors><error>).
Dates are W3C (ISO 8601) with the offset: 2026-01-12T09:30:00+08:00.

Requests are read by anyone, so a request says nothing about a person: the description is the
appeal's public summary (公开摘要, or "<类别>问题"), status notes are the status, the outcome and the
public reply (公开答复) — never the handler's internal texts (办理情况, 向居民的说明, 回访内容) —, both
through the public page's anonymiser with every registry name of the appeal's community
(linli.core.anonymise), and the address is the community and building, never the room.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone

from linli.appeals.choices import FINISHED, Status, Urgency
from linli.core.anonymise import Names, anonymise
from linli.open311.services import URGENCY_ATTRIBUTE

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
#: XML elements that hold a list, and the name of each item
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
STATUS_NOTE_LIMIT = 300
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def w3c(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


# --- documents -------------------------------------------------------------------------------------


def service_row(category, unit) -> dict:
    """One entry of GET Service List: a category, grouped by the unit that handles it (in that community)."""
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{category.name}（{unit.name}办理）" + (f"：{unit.handles}" if unit.handles else ""),
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join([unit.code, unit.name]),
        "group": unit.name,
    }


def service_definition(category) -> dict:
    """GET Service Definition: every service takes one optional attribute, the urgency (紧急程度)."""
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": URGENCY_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": f"不填则按类别默认：{Urgency(category.default_urgency).label}",
                "order": 1,
                "description": "紧急程度",
                "values": [{"key": value, "name": label} for value, label in Urgency.choices],
            }
        ],
    }


def open311_status(appeal) -> str:
    return "closed" if appeal.status in FINISHED else "open"


def _note(appeal, names) -> str:
    detail = appeal.public_reply  # written for the public; the internal texts are never read here
    if appeal.status == Status.MERGED:
        return f"已合并办理（主诉求 {appeal.merged_into.number}）" if appeal.merged_into_id else "已合并办理"
    label = appeal.get_status_display()
    if appeal.outcome and appeal.status in (Status.RESOLVED, Status.CLOSED):
        label = f"{label}：{appeal.get_outcome_display()}"
    if not detail or appeal.status not in (Status.RESOLVED, Status.CLOSED):
        return label
    text = anonymise(detail, names)
    if len(text) > STATUS_NOTE_LIMIT:
        text = text[:STATUS_NOTE_LIMIT] + "…"
    return f"{label}。{text}" if text else label


def _description(appeal, names) -> str:
    neutral = f"{appeal.category.name.removesuffix('问题')}问题" if appeal.category_id else "诉求"
    summary = anonymise(appeal.public_summary, names) if appeal.public_summary else ""
    return summary or neutral


def _address(appeal, names) -> str:
    if appeal.building_id:
        return f"{appeal.community.name}{appeal.building.name}"
    extra = getattr(appeal, "open311", None)
    if extra is not None and extra.lat is not None and not extra.address_string:
        return appeal.community.name
    free = anonymise(appeal.address, names) if appeal.address else ""
    return f"{appeal.community.name} {free}".strip()


def request_row(appeal, names: Iterable[str] | Names = ()) -> dict:
    """One entry of GET Service Requests; `names` are the names to remove (the community's registry,
    linli.residents.names.CommunityNames); the reporter's are added here."""
    extra = [appeal.reporter_name] + ([appeal.reporter.name] if appeal.reporter_id else [])
    names = names | extra if isinstance(names, Names) else Names([*names, *extra])
    extra = getattr(appeal, "open311", None)
    return {
        "service_request_id": appeal.number,
        "status": open311_status(appeal),
        "status_notes": _note(appeal, names),
        "service_name": appeal.category.name if appeal.category_id else "",
        "service_code": appeal.category.code if appeal.category_id else "",
        "description": _description(appeal, names),
        "agency_responsible": appeal.assigned_org.name if appeal.assigned_org_id else appeal.community.name,
        "service_notice": "",
        "requested_datetime": w3c(appeal.received_at),
        "updated_datetime": w3c(appeal.updated_at),
        "expected_datetime": w3c(appeal.resolve_due),
        "address": _address(appeal, names),
        "address_id": str(appeal.building_id) if appeal.building_id else "",
        "zipcode": "",
        "lat": float(extra.lat) if extra is not None and extra.lat is not None else None,
        "long": float(extra.long) if extra is not None and extra.long is not None else None,
        "media_url": "",
    }


def created_row(appeal, notice: str) -> dict:
    return {"service_request_id": appeal.number, "service_notice": notice, "account_id": None}


# --- rendering -------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_ILLEGAL.sub("", str(value))


def _append(parent, tag: str, value) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _append(element, ITEM_TAGS.get(tag, "item"), item)
    else:
        element.text = _text(value)


def to_xml(root: str, value) -> bytes:
    """`value` (a list of dicts, or a dict) under the root element, with the UTF-8 declaration."""
    element = ET.Element(root)
    if isinstance(value, list):
        for item in value:
            _append(element, ITEM_TAGS[root], item)
    else:
        for key, item in value.items():
            _append(element, key, item)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def respond(fmt: str, root: str, value, status: int = 200) -> HttpResponse:
    """A document in the requested format; JSON is the list/dict itself, XML wraps it in `root`."""
    if fmt == "xml":
        body = to_xml(root, value)
    else:
        body = json.dumps(value, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["json"]))


def errors(fmt: str, status: int, descriptions: Iterable[str]) -> HttpResponse:
    """The GeoReport error list: [{"code": 400, "description": "..."}] / <errors><error>…</error></errors>."""
    rows = [{"code": status, "description": d} for d in descriptions]
    return respond(fmt if fmt in FORMATS else "json", "errors", rows, status=status)
