"""No raw choice code on a page a person reads: every history, log and directory page of the demo shows the
Chinese label of each code (状态：待派单, not pending_dispatch).

The codes are every value of every TextChoices in the project (all choices.py modules, and the change log's own
Source/ChangeAction); a page fails when its visible text (not its attributes, scripts or styles) holds one as a
word.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse

from linli.core.labels import choice_classes
from linli.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def choice_codes() -> set[str]:
    """Every ASCII word (two letters or more) that is the value of a TextChoices of the project (all choices.py
    modules), or the code of a handling unit or problem category of the directory."""
    from linli.appeals.models import Category, HandlingUnit

    values = [v for cls in choice_classes() for v in cls.values if isinstance(v, str)]
    values += list(HandlingUnit.objects.values_list("code", flat=True))
    values += list(Category.objects.values_list("code", flat=True))
    return {v for v in values if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]+", v)}


class VisibleText(HTMLParser):
    """The text a person sees as words: text nodes outside <script>, <style> and <template>, and outside <code> and
    <textarea>, which hold what a person writes as code on purpose (a certificate template's {{ name }} fields)."""

    HIDDEN = {"script", "style", "template", "code", "textarea"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def codes_in(html: str, codes: set[str]) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", visible_text(html)) if w in codes}


def history_pages() -> dict[str, str]:
    """One page per kind of object with a change history in the demo: the page that shows that history."""
    pages = {}
    special = {
        "residents.tag": lambda pk: reverse("residents:tag_edit", args=[pk]),
        "accounts.user": lambda pk: reverse("accounts:user_edit", args=[pk]),
        "visits.fieldnote": lambda pk: reverse("visits:diary_detail", args=[pk]),
        "volunteers.activity": lambda pk: reverse("volunteers:activity_detail", args=[pk]),
        "volunteers.volunteer": lambda pk: reverse("volunteers:volunteer_detail", args=[pk]),
        "volunteers.team": lambda pk: reverse("volunteers:team_detail", args=[pk]),
        # the rule list shows the history of every rule of the community
        "lovebank.earningrule": lambda pk: reverse("lovebank:rule_list"),
    }
    # order_by(): without it the model's ordering (-at, -id) joins the DISTINCT, which then yields every record
    # (some 15,000 in the demo) instead of each kind once.
    for ct_id in ChangeRecord.objects.order_by("content_type").values_list("content_type", flat=True).distinct():
        ct = ContentType.objects.get_for_id(ct_id)
        key = f"{ct.app_label}.{ct.model}"
        model = ct.model_class()
        pk = ChangeRecord.objects.filter(content_type=ct).order_by("-id").values_list("object_id", flat=True)[0]
        if key in special:
            pages[key] = special[key](pk)
            continue
        obj = model._base_manager.filter(pk=pk).first()
        if obj is not None and hasattr(obj, "get_absolute_url"):
            try:
                pages[key] = obj.get_absolute_url()
            except NoReverseMatch:
                pass
        if key not in pages:
            pages[key] = None  # a kind without a page of its own: reported by the test
    return pages


LOG_PAGES = {
    "export log": "ledgers:export_log",
    "love-bank rules": "lovebank:rule_list",
    "unit directory": "appeals:directory",
    "unit guide": "appeals:unit_guide",
    "unit setup": "appeals:unit_setup",
}


def daily_use(qinghe, admin):
    """What people and commands do after the demo is built, so that every kind of history has entries:
    a diary note written and edited, a love-bank rule set by a command, a resident's status changed, and a
    change record as older builds wrote them (codes as values, the command's English name as the actor)."""
    from linli.core.audit import Actor, actor_of
    from linli.core.models import ChangeAction, Source
    from linli.lovebank.services import set_earning_rule
    from linli.residents.models import Resident
    from linli.residents.services import update_resident
    from linli.visits.services import create_note, update_note
    from linli.volunteers.choices import ActivityKind

    grid = qinghe.grids.order_by("number").first()
    note = create_note(actor=actor_of(admin), text="楼道堆物清理了", grid=grid)
    update_note(note, actor=actor_of(admin), text="楼道堆物清理完毕", grid=grid)
    set_earning_rule(qinghe, ActivityKind.ELDERLY_VISIT, 12, actor=Actor.cli("linli demo"))
    resident = Resident.objects.filter(community=qinghe).order_by("pk").first()
    update_resident(resident, actor=actor_of(admin), residence_type="tenant", note="改为租户")
    ChangeRecord.objects.create(
        actor_label="linli demo",
        source=Source.CLI,
        action=ChangeAction.UPDATE,
        content_type=ContentType.objects.get_for_model(Resident),
        object_id=resident.pk,
        object_repr=str(resident),
        changes={"status": ["active", "moved_out"], "residence_type": ["registered", "tenant"]},
    )


def exports(client):
    """Exports whose filters hold codes: the resident list (status active) and the dispatch queue (a status)."""
    b"".join(client.get(reverse("ledgers:resident_export"), {"residence_type": "tenant"}).streaming_content)
    query = {"tab": "dispatch", "status": "pending_dispatch", "urgency": "normal", "overdue": "1"}
    b"".join(client.get(reverse("appeals:appeal_export"), query).streaming_content)


def test_no_page_of_the_demo_shows_a_raw_choice_code(qinghe, client):
    from django.contrib.auth import get_user_model

    codes = choice_codes()
    assert {"pending_dispatch", "elderly_visit", "property", "community"} <= codes
    admin = get_user_model().objects.create_superuser("codes_admin", password="x-Pass-2026!")
    client.force_login(admin)
    daily_use(qinghe, admin)
    exports(client)
    pages = {**history_pages(), **{name: reverse(url) for name, url in LOG_PAGES.items()}}
    assert {"residents.resident", "visits.fieldnote", "lovebank.earningrule", "export log"} <= set(pages)
    found = {}
    for name, url in pages.items():
        if url is None:
            continue
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        leaked = codes_in(response.content.decode(), codes)
        if leaked:
            found[f"{name} {url}"] = sorted(leaked)
    assert found == {}
    log = visible_text(client.get(reverse("ledgers:export_log")).content.decode())
    assert "队列：待派单" in log and "状态：待派单" in log and "紧急程度：一般" in log and "超期：是" in log
    assert "状态：在册" in log and "居住类型：租户" in log
    assert "linli demo" not in client.get(pages["residents.resident"]).content.decode()
