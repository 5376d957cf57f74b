"""The detail page and its action forms: each action through its own URL by the persona who may take it,
refused for the others (403 for the role, 404 outside scope), and only the permitted forms on the page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.appeals import services
from linli.appeals.actions import available_actions
from linli.appeals.choices import EventAction, ExtensionStatus, Outcome, Rating, ReplyMethod, Status
from linli.appeals.models import Appeal
from linli.appeals.tests.conftest import new_appeal
from linli.appeals.views import overdue_label

pytestmark = pytest.mark.django_db


def detail(appeal):
    return reverse("appeals:appeal_detail", args=[appeal.pk])


def action_url(name, appeal):
    return reverse(f"appeals:appeal_{name}", args=[appeal.pk])


def dispatched(aw, **kwargs):
    appeal = new_appeal(aw, **kwargs)
    return services.dispatch(appeal, aw.units["property"], actor=aw.actor("secretary"))


def signed(aw, **kwargs):
    return services.sign(dispatched(aw, **kwargs), actor=aw.actor("dept_handler"))


def resolved(aw, **kwargs):
    return services.resolve(
        signed(aw, **kwargs), actor=aw.actor("dept_handler"), outcome=Outcome.SOLVED, resolution="已修"
    )


def closed_unsatisfied(aw):
    return services.reply(
        resolved(aw), actor=aw.actor("staff"), text="已修好", method=ReplyMethod.PHONE, rating=Rating.UNSATISFIED
    )


def status_of(appeal):
    return Appeal.objects.get(pk=appeal.pk).status


# --- the page ---------------------------------------------------------------------------------------


def test_the_page_shows_the_appeal_with_its_timeline(aw, login):
    appeal = signed(aw)
    services.add_progress(appeal, actor=aw.actor("staff"), note="已电话联系物业", internal=True)
    html = login(aw.users["secretary"]).get(detail(appeal)).content.decode()
    assert appeal.number in html and "办理中" in html and "楼道照明" in html
    assert "东一物业服务中心" in html and "027-87654321" in html
    for label in ("登记", "派单", "签收", "办理进展"):
        assert label in html
    assert "内部" in html and "已电话联系物业" in html


def test_a_grid_worker_sees_no_dispatch_form(aw, login):
    appeal = new_appeal(aw)
    html = login(aw.users["grid_worker_1"]).get(detail(appeal)).content.decode()
    assert action_url("dispatch", appeal) not in html
    assert action_url("edit", appeal) in html  # may still correct it before dispatch
    assert action_url("dispatch", appeal) in login(aw.users["secretary"]).get(detail(appeal)).content.decode()


def test_the_dispatch_form_preselects_the_default_unit_and_names_its_organisation(aw, login):
    appeal = new_appeal(aw)
    html = login(aw.users["secretary"]).get(detail(appeal)).content.decode()
    assert f'<option value="{aw.units["property"].pk}" selected>物业服务企业 → 东一物业服务中心</option>' in html
    assert "园林绿化（本社区未设置）" in html


def test_the_dispatcher_sees_the_routing_suggestion_and_its_reason(aw, login):
    appeal = new_appeal(aw, category="corridor_light", text="3单元楼道灯坏了一个星期，晚上看不见")
    html = login(aw.users["secretary"]).get(detail(appeal)).content.decode()
    assert "系统根据内容建议：物业服务企业" in html


def test_without_a_category_the_suggested_unit_is_preselected(aw, login):
    appeal = new_appeal(aw, text="小区门口马路上的井盖不见了，晚上有人差点掉进去")
    Appeal.objects.filter(pk=appeal.pk).update(category=None)
    html = login(aw.users["secretary"]).get(detail(appeal)).content.decode()
    assert f'<option value="{aw.units["urban_mgmt"].pk}" selected>' in html


def test_dispatching_to_another_unit_than_suggested_is_kept_as_a_correction(aw, login):
    from linli.appeals.routing.models import RoutingCorrection

    client = login(aw.users["secretary"])
    appeal = new_appeal(aw, category="corridor_light", text="楼道灯坏了")
    client.post(action_url("dispatch", appeal), {"dispatch-unit": aw.units["property"].pk, "dispatch-note": ""})
    assert not RoutingCorrection.objects.exists()  # the model was right
    other = new_appeal(aw, category="corridor_light", text="楼道灯坏了")
    response = client.post(action_url("dispatch", other), {"dispatch-unit": aw.units["water"].pk, "dispatch-note": ""})
    assert response.status_code == 302
    correction = RoutingCorrection.objects.get()
    assert (correction.suggested, correction.chosen, correction.appeal_id) == ("property", "water", other.pk)


def test_the_dept_handler_sees_sign_on_a_dispatched_appeal_and_nothing_else_of_the_dispatcher(aw, login):
    appeal = dispatched(aw)
    html = login(aw.users["dept_handler"]).get(detail(appeal)).content.decode()
    assert action_url("sign", appeal) in html and action_url("return", appeal) in html
    assert action_url("withdraw", appeal) not in html and action_url("escalate", appeal) not in html
    assert available_actions(appeal, aw.users["dept_handler"]) == {"sign", "return", "assist", "progress"}


def test_the_water_handler_gets_404_on_the_property_companys_appeal(aw, login):
    appeal = dispatched(aw)
    client = login(aw.users["water_handler"])
    assert client.get(detail(appeal)).status_code == 404
    assert client.post(action_url("sign", appeal)).status_code == 404
    assert status_of(appeal) == Status.PENDING_SIGN


def test_the_reporters_phone_is_full_for_the_handler_and_area_staff_and_masked_for_others(aw, login):
    appeal = dispatched(aw)
    assert "13800001111" in login(aw.users["dept_handler"]).get(detail(appeal)).content.decode()
    assert "13800001111" in login(aw.users["grid_worker_1"]).get(detail(appeal)).content.decode()
    services.request_assist(appeal, aw.units["water"], actor=aw.actor("secretary"))
    html = login(aw.users["water_handler"]).get(detail(appeal)).content.decode()
    assert "13800001111" not in html and "138****1111" in html


def test_the_overdue_flag_counts_working_days_or_hours(aw):
    appeal = dispatched(aw)
    assert overdue_label(appeal, timezone.now()) == ""
    later = appeal.sign_due + datetime.timedelta(days=14)
    assert overdue_label(appeal, later).startswith("超期 ") and overdue_label(appeal, later).endswith("个工作日")
    urgent = signed(aw, category="lift")  # 急办: hours
    assert overdue_label(urgent, urgent.resolve_due + datetime.timedelta(hours=3, minutes=5)) == "超期 4 小时"
    assert overdue_label(urgent, urgent.resolve_due + datetime.timedelta(days=35, hours=5)) == "超期 35 天"


# --- each action through the client ----------------------------------------------------------------


def test_dispatch_by_the_secretary(aw, login):
    appeal = new_appeal(aw)
    client = login(aw.users["secretary"])
    resp = client.post(
        action_url("dispatch", appeal), {"dispatch-unit": aw.units["property"].pk, "dispatch-note": "急"}
    )
    assert resp.status_code == 302 and resp.url.startswith(detail(appeal))
    assert status_of(appeal) == Status.PENDING_SIGN
    assert "已派单给东一物业服务中心" in client.get(detail(appeal)).content.decode()


def test_dispatch_by_a_grid_worker_is_forbidden(aw, login):
    appeal = new_appeal(aw)
    resp = login(aw.users["grid_worker_1"]).post(
        action_url("dispatch", appeal), {"dispatch-unit": aw.units["property"].pk}
    )
    assert resp.status_code == 403 and status_of(appeal) == Status.PENDING_DISPATCH
    resp = login(aw.users["grid_worker_2"]).post(
        action_url("dispatch", appeal), {"dispatch-unit": aw.units["property"].pk}
    )
    assert resp.status_code == 404


def test_dispatch_to_an_unbound_unit_shows_the_message_and_keeps_the_note(aw, login):
    appeal = new_appeal(aw)
    resp = login(aw.users["secretary"]).post(
        action_url("dispatch", appeal), {"dispatch-unit": aw.units["landscaping"].pk, "dispatch-note": "请看看"}
    )
    html = resp.content.decode()
    assert resp.status_code == 400 and "还没有设置“园林绿化”的承办机构" in html and "请看看" in html
    assert status_of(appeal) == Status.PENDING_DISPATCH


def test_sign_by_the_handler_and_double_sign_shows_the_message(aw, login):
    appeal = dispatched(aw)
    client = login(aw.users["dept_handler"])
    resp = client.post(action_url("sign", appeal))
    assert resp.status_code == 302 and status_of(appeal) == Status.IN_PROGRESS
    again = client.post(action_url("sign", appeal))
    assert again.status_code == 400
    assert "该诉求已签收，不能重复签收。" in again.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).events.filter(action=EventAction.SIGNED).count() == 1


def test_sign_by_a_secretary_is_forbidden(aw, login):
    appeal = dispatched(aw)
    assert login(aw.users["secretary"]).post(action_url("sign", appeal)).status_code == 403
    assert status_of(appeal) == Status.PENDING_SIGN


def test_return_needs_a_reason(aw, login):
    appeal = dispatched(aw)
    client = login(aw.users["dept_handler"])
    resp = client.post(action_url("return", appeal), {"return-reason": ""})
    assert resp.status_code == 400 and "请填写退回理由" in resp.content.decode()
    resp = client.post(action_url("return", appeal), {"return-reason": "这是市政路灯，应由城管处理"})
    assert resp.status_code == 302 and status_of(appeal) == Status.PENDING_DISPATCH


def test_assist_by_the_handler(aw, login):
    appeal = signed(aw)
    resp = login(aw.users["dept_handler"]).post(action_url("assist", appeal), {"assist-unit": aw.units["water"].pk})
    assert resp.status_code == 302
    assert list(appeal.assists.values_list("org__name", flat=True)) == ["区水务局"]
    # The assisting handler now sees it and may add progress, but not resolve.
    client = login(aw.users["water_handler"])
    assert client.get(detail(appeal)).status_code == 200
    assert client.post(action_url("progress", appeal), {"progress-note": "已查看水管"}).status_code == 302
    assert (
        client.post(action_url("resolve", appeal), {"resolve-outcome": "solved", "resolve-resolution": "x"}).status_code
        == 403
    )


def test_assist_by_a_grid_worker_is_forbidden(aw, login):
    appeal = signed(aw)
    resp = login(aw.users["grid_worker_1"]).post(action_url("assist", appeal), {"assist-unit": aw.units["water"].pk})
    assert resp.status_code == 403 and not appeal.assists.exists()


def test_progress_by_staff_may_be_staff_only_and_by_the_handler_is_not(aw, login):
    appeal = signed(aw)
    login(aw.users["grid_worker_1"]).post(
        action_url("progress", appeal), {"progress-note": "居民又打电话", "progress-visibility": "staff"}
    )
    login(aw.users["dept_handler"]).post(
        action_url("progress", appeal), {"progress-note": "已订灯泡", "progress-visibility": "staff"}
    )
    notes = dict(appeal.events.filter(action=EventAction.PROGRESS).values_list("note", "internal"))
    assert notes == {"居民又打电话": True, "已订灯泡": False}
    html = login(aw.users["dept_handler"]).get(detail(appeal)).content.decode()
    assert 'name="progress-visibility" value="staff"' not in html
    assert 'name="progress-visibility" value="public"' in html


def test_progress_by_a_volunteer_is_forbidden(aw, login):
    appeal = signed(aw)
    assert login(aw.users["volunteer"]).post(action_url("progress", appeal), {"progress-note": "x"}).status_code == 404


def test_extension_requested_by_the_handler_and_decided_by_the_secretary(aw, login):
    appeal = signed(aw)
    handler = login(aw.users["dept_handler"])
    resp = handler.post(action_url("extension", appeal), {"extension-workdays": "99", "extension-reason": "等配件"})
    assert resp.status_code == 400 and "1到30之间" in resp.content.decode()
    resp = handler.post(action_url("extension", appeal), {"extension-workdays": "3", "extension-reason": "等配件"})
    assert resp.status_code == 302
    before = Appeal.objects.get(pk=appeal.pk).resolve_due
    # The handler cannot decide their own request.
    decide = {"extension_decide-decision": "approve", "extension_decide-note": ""}
    assert handler.post(action_url("extension_decide", appeal), decide).status_code == 403
    secretary = login(aw.users["secretary"])
    assert action_url("extension_decide", appeal) in secretary.get(detail(appeal)).content.decode()
    resp = secretary.post(action_url("extension_decide", appeal), {"extension_decide-decision": "refuse"})
    assert resp.status_code == 400 and "不同意延期时请写明理由" in resp.content.decode()
    assert secretary.post(action_url("extension_decide", appeal), decide).status_code == 302
    assert appeal.extensions.get().status == ExtensionStatus.APPROVED
    assert Appeal.objects.get(pk=appeal.pk).resolve_due > before


def test_resolve_needs_an_explanation_for_a_partial_outcome(aw, login):
    appeal = signed(aw)
    client = login(aw.users["dept_handler"])
    data = {"resolve-outcome": Outcome.PARTLY, "resolve-resolution": "换了一盏，另一盏要等配件"}
    resp = client.post(action_url("resolve", appeal), data)
    html = resp.content.decode()
    assert resp.status_code == 400 and "请填写向居民的说明" in html and "换了一盏，另一盏要等配件" in html
    resp = client.post(action_url("resolve", appeal), data | {"resolve-explanation": "配件下周到"})
    assert resp.status_code == 302 and status_of(appeal) == Status.RESOLVED


def test_resolve_by_the_grid_worker_is_forbidden(aw, login):
    appeal = signed(aw)
    resp = login(aw.users["grid_worker_1"]).post(
        action_url("resolve", appeal), {"resolve-outcome": Outcome.SOLVED, "resolve-resolution": "x"}
    )
    assert resp.status_code == 403 and status_of(appeal) == Status.IN_PROGRESS


def test_reply_by_community_staff_closes_it(aw, login):
    appeal = resolved(aw)
    data = {"reply-text": "灯已修好", "reply-method": ReplyMethod.PHONE, "reply-rating": Rating.SATISFIED}
    assert login(aw.users["dept_handler"]).post(action_url("reply", appeal), data).status_code == 403
    resp = login(aw.users["grid_worker_1"]).post(action_url("reply", appeal), data)
    assert resp.status_code == 302 and status_of(appeal) == Status.CLOSED


def test_reopen_and_escalate_by_the_secretary(aw, login):
    appeal = closed_unsatisfied(aw)
    assert login(aw.users["staff"]).post(action_url("reopen", appeal), {"reopen-note": "又坏了"}).status_code == 403
    client = login(aw.users["secretary"])
    html = client.get(detail(appeal)).content.decode()
    assert action_url("reopen", appeal) in html and action_url("escalate", appeal) in html
    assert client.post(action_url("reopen", appeal), {"reopen-note": "居民说又坏了"}).status_code == 302
    assert status_of(appeal) == Status.PENDING_SIGN
    resp = client.post(action_url("escalate", appeal), {"escalate-note": "三天内处理完"})
    assert resp.status_code == 302 and Appeal.objects.get(pk=appeal.pk).supervised
    assert (
        login(aw.users["grid_worker_1"]).post(action_url("escalate", appeal), {"escalate-note": "x"}).status_code == 403
    )


def test_withdraw_by_the_dispatcher_only(aw, login):
    appeal = new_appeal(aw)
    assert (
        login(aw.users["grid_worker_1"]).post(action_url("withdraw", appeal), {"withdraw-reason": "x"}).status_code
        == 403
    )
    resp = login(aw.users["staff"]).post(action_url("withdraw", appeal), {"withdraw-reason": "居民说已经好了"})
    assert resp.status_code == 302 and status_of(appeal) == Status.WITHDRAWN


def test_edit_before_dispatch_and_refused_after(aw, login):
    appeal = new_appeal(aw)
    client = login(aw.users["grid_worker_1"])
    data = {
        "edit-text": "2单元楼道灯坏了",
        "edit-category": aw.category("corridor_light").pk,
        "edit-urgency": "urgent",
        "edit-address": "2单元",
    }
    assert client.post(action_url("edit", appeal), data).status_code == 302
    appeal.refresh_from_db()
    assert appeal.text == "2单元楼道灯坏了" and appeal.urgency == "urgent"
    services.dispatch(appeal, aw.units["property"], actor=aw.actor("secretary"))
    resp = client.post(action_url("edit", appeal), data | {"edit-text": "改了"})
    assert resp.status_code == 400 and "派单后不能再修改" in resp.content.decode()
    assert login(aw.users["grid_worker_2"]).post(action_url("edit", appeal), data).status_code == 404


def test_action_urls_refuse_get(aw, login):
    appeal = new_appeal(aw)
    assert login(aw.users["secretary"]).get(action_url("dispatch", appeal)).status_code == 405


def test_the_visit_an_appeal_came_from_is_linked(aw, login):
    from linli.appeals.tests.test_intake import make_visit

    visit = make_visit(aw)
    appeal = new_appeal(aw, visit=visit, reporter=visit.resident)
    html = login(aw.users["grid_worker_1"]).get(detail(appeal)).content.decode()
    assert f"#visit-{visit.pk}" in html


def test_a_wrong_persona_gets_403_even_with_an_empty_form(aw, login):
    appeal = new_appeal(aw)
    assert login(aw.users["grid_worker_1"]).post(action_url("dispatch", appeal), {}).status_code == 403
    signed_appeal = signed(aw)
    assert login(aw.users["secretary"]).post(action_url("resolve", signed_appeal), {}).status_code == 403
