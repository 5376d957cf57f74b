"""Issue 14: an appeal that arrives 未分类 is classified and dispatched with one POST; the dispatch form comes
pre-filled with the suggested unit and, within it, the suggested category; a category that does not belong to
the chosen unit is refused with a Chinese message and changes nothing."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from linli.appeals import services
from linli.appeals.choices import EventAction, Status
from linli.appeals.defaults import CATEGORIES, CATEGORY_KEYWORDS
from linli.appeals.models import Appeal, CategoryRoute
from linli.appeals.routing import model as m
from linli.appeals.routing.categories import Candidate, evaluate
from linli.appeals.routing.services import suggest_category
from linli.appeals.tests.conftest import LIGHT

pytestmark = pytest.mark.django_db


def dispatch_url(appeal):
    return reverse("appeals:appeal_dispatch", args=[appeal.pk])


def test_an_uncategorised_appeal_is_dispatched_with_one_post(aw, login, uncategorised):
    appeal = uncategorised()
    client = login(aw.users["secretary"])
    page = client.get(reverse("appeals:appeal_detail", args=[appeal.pk]))
    form = page.context["forms"]["dispatch"]
    assert form.initial["unit"] == aw.units["property"].pk
    assert form.initial["category"] == aw.category("corridor_light").pk
    assert "问题类别建议：楼道照明" in page.content.decode()

    response = client.post(
        dispatch_url(appeal),
        {"dispatch-category": form.initial["category"], "dispatch-unit": form.initial["unit"], "dispatch-note": ""},
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert appeal.status == Status.PENDING_SIGN
    assert appeal.category.code == "corridor_light" and appeal.assigned_org == aw.orgs["property"]
    assert appeal.sign_due is not None and appeal.resolve_due is not None  # deadlines from the new category
    edited, dispatched = list(appeal.events.exclude(action=EventAction.CREATED))
    assert edited.action == EventAction.EDITED and edited.internal and "未分类 → 楼道照明" in edited.note
    assert dispatched.action == EventAction.DISPATCHED


def test_the_category_suggestion_is_chosen_within_the_unit(aw):
    e1 = aw.communities["e1"]
    cases = [
        ("电梯又坏了，困了两个人在里面", "property", "lift"),
        ("小区垃圾三天没人清运，臭死了", "property", "cleaning"),
        ("楼上卫生间漏水，我家天花板全湿了", "mediation", "neighbour_leak"),
        ("家里一直停水，也没有通知", "water", "water_outage"),
    ]
    for text, unit, expected in cases:
        category, words = suggest_category(text, aw.units[unit], community=e1)
        assert category.code == expected, text
        assert words
    # Nothing matches: the unit's first category, with no words (the form says to check it).
    category, words = suggest_category("麻烦你们来看一下", aw.units["property"], community=e1)
    assert category.code == "corridor_light" and words == []


def test_a_communitys_own_routing_moves_a_category_to_another_unit(aw, uncategorised):
    e1 = aw.communities["e1"]
    CategoryRoute.objects.create(community=e1, category=aw.category("corridor_light"), unit=aw.units["community"])
    category, _ = suggest_category(LIGHT, aw.units["property"], community=e1)
    assert category.code != "corridor_light"
    category, _ = suggest_category(LIGHT, aw.units["community"], community=e1)
    assert category.code == "corridor_light"
    appeal = services.dispatch(
        uncategorised(), aw.units["community"], actor=aw.actor("secretary"), category=aw.category("corridor_light")
    )
    assert appeal.status == Status.PENDING_SIGN and appeal.assigned_org == aw.orgs["community"]


def test_a_wrong_category_for_the_unit_is_refused_and_changes_nothing(aw, login, uncategorised):
    appeal = uncategorised()
    response = login(aw.users["secretary"]).post(
        dispatch_url(appeal),
        {
            "dispatch-category": aw.category("water_outage").pk,
            "dispatch-unit": aw.units["property"].pk,
            "dispatch-note": "请尽快",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "问题类别“停水与水压”归水务办理，不能派给物业服务企业" in html and "请尽快" in html
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert appeal.status == Status.PENDING_DISPATCH and appeal.category is None
    assert list(appeal.events.values_list("action", flat=True)) == [EventAction.CREATED]


def test_without_any_category_the_dispatch_is_refused_as_before(aw, login, uncategorised):
    appeal = uncategorised()
    response = login(aw.users["secretary"]).post(
        dispatch_url(appeal), {"dispatch-category": "", "dispatch-unit": aw.units["property"].pk}
    )
    assert response.status_code == 400 and "请先选择问题类别，办理时限按类别计算。" in response.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).status == Status.PENDING_DISPATCH


def test_the_category_suggestion_keeps_its_measured_accuracy_on_the_held_out_set():
    """docs/routing.md states the figure (79% of 220 hand-labelled rows, given the unit); a change to the
    keywords or the scorer that loses more than a little fails here."""
    by_unit: dict[str, list[Candidate]] = {}
    for code, name, unit, _ in CATEGORIES:
        by_unit.setdefault(unit, []).append(Candidate(code, name, CATEGORY_KEYWORDS[code]))
    rows = [json.loads(line) for line in m.HELDOUT_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = evaluate(rows, lambda unit: by_unit[unit])
    assert result["evaluated"] >= 200
    assert result["accuracy"] >= 0.75


def test_a_category_chosen_at_dispatch_raises_the_default_urgency_but_never_lowers_it(aw, uncategorised):
    from linli.appeals.choices import Urgency

    gas = services.dispatch(
        uncategorised("楼道里一股燃气味"),
        aw.units["community"],
        actor=aw.actor("secretary"),
        category=aw.category("certificate"),  # a 一般 category: stays 一般
    )
    assert gas.urgency == Urgency.NORMAL
    lift = uncategorised("电梯困人了")
    lift = services.dispatch(lift, aw.units["property"], actor=aw.actor("secretary"), category=aw.category("lift"))
    assert lift.urgency == Urgency.EXPEDITED
    assert "紧急程度：一般 → 急办（按类别）" in lift.events.get(action=EventAction.EDITED).note
    # The resolve deadline follows: 急办 counts hours, not working days.
    assert (lift.resolve_due - lift.dispatched_at).total_seconds() <= 24 * 3600 + 60


def test_the_migration_keeps_what_reporters_saw_before_issue_14(aw, uncategorised):
    """0008: old progress notes that were not internal were on the tracking page (stay public); old 办理情况 was
    not shown to the reporter (stays internal)."""
    import importlib

    from django.apps import apps

    from linli.appeals.choices import Outcome

    migration = importlib.import_module("linli.appeals.migrations.0009_appeal_sms_and_note_visibility")
    appeal = services.sign(
        services.dispatch(
            uncategorised(), aw.units["property"], actor=aw.actor("secretary"), category=aw.category("lift")
        ),
        actor=aw.actor("dept_handler"),
    )
    shown = services.add_progress(appeal, actor=aw.actor("dept_handler"), note="已联系维保")
    hidden = services.add_progress(appeal, actor=aw.actor("staff"), note="内部", internal=True)
    services.resolve(appeal, actor=aw.actor("dept_handler"), outcome=Outcome.SOLVED, resolution="已修")
    migration.keep_what_residents_saw(apps, None)
    shown.refresh_from_db(), hidden.refresh_from_db()
    assert shown.public is True and hidden.public is False
    assert Appeal.objects.get(pk=appeal.pk).resolution_public is False
