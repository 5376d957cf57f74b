"""The appeal state machine: every action from every state, allowed or refused, and random sequences.

A refused action raises with a Chinese message and changes nothing (row and timeline as they were).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.appeals import services
from linli.appeals.choices import OWNED, EventAction, Outcome, Rating, ReplyMethod, Status
from linli.appeals.models import Appeal, AppealEvent, ExtensionRequest
from linli.appeals.tests.conftest import new_appeal

pytestmark = pytest.mark.django_db


# Each action as the user who may take it in the normal course of things.
def act_dispatch(aw, a):
    return services.dispatch(a, aw.units["property"], actor=aw.actor("secretary"), note="请尽快处理")


def act_sign(aw, a):
    return services.sign(a, actor=aw.actor("dept_handler"))


def act_return(aw, a):
    return services.return_appeal(a, actor=aw.actor("dept_handler"), reason="属于市政路灯，应由城管处理")


def act_resolve(aw, a):
    return services.resolve(a, actor=aw.actor("dept_handler"), outcome=Outcome.SOLVED, resolution="已更换灯泡")


def act_reply(aw, a):
    return services.reply(
        a, actor=aw.actor("staff"), text="灯已修好", method=ReplyMethod.PHONE, rating=Rating.SATISFIED
    )


def act_reply_unsatisfied(aw, a):
    return services.reply(
        a, actor=aw.actor("staff"), text="灯已修好", method=ReplyMethod.PHONE, rating=Rating.UNSATISFIED
    )


def act_reopen(aw, a):
    return services.reopen(a, actor=aw.actor("secretary"), note="居民说又坏了")


def act_escalate(aw, a):
    return services.escalate(a, actor=aw.actor("secretary"), note="请物业三天内处理完毕")


def act_withdraw(aw, a):
    return services.withdraw(a, actor=aw.actor("secretary"), reason="居民自行解决")


def act_extension(aw, a):
    return services.request_extension(a, actor=aw.actor("dept_handler"), workdays=3, reason="灯具需要采购")


def act_progress(aw, a):
    return services.add_progress(a, actor=aw.actor("dept_handler"), note="已联系电工")


def act_merge(aw, a):
    """The appeal is a duplicate of a neighbour's report of the same light (issue 6 §2)."""
    main = new_appeal(aw, text="三单元楼道灯不亮了", reporter_name="李大爷")
    return services.merge_appeal(a, main, actor=aw.actor("secretary"))


ACTIONS = {
    "dispatch": act_dispatch,
    "sign": act_sign,
    "return": act_return,
    "resolve": act_resolve,
    "reply": act_reply,
    "reply_unsatisfied": act_reply_unsatisfied,
    "reopen": act_reopen,
    "escalate": act_escalate,
    "withdraw": act_withdraw,
    "extension": act_extension,
    "progress": act_progress,
    "merge": act_merge,
}

# From each reachable state: the path that gets there, and {action: resulting status} for allowed actions.
PATHS = {
    "pending_dispatch": [],
    "pending_sign": ["dispatch"],
    "in_progress": ["dispatch", "sign"],
    "resolved": ["dispatch", "sign", "resolve"],
    "closed_satisfied": ["dispatch", "sign", "resolve", "reply"],
    "closed_unsatisfied": ["dispatch", "sign", "resolve", "reply_unsatisfied"],
    "withdrawn": ["withdraw"],
    "merged": ["merge"],
}
ALLOWED = {
    "pending_dispatch": {"dispatch": "pending_sign", "withdraw": "withdrawn", "merge": "merged"},  # no "progress"
    "pending_sign": {
        "sign": "in_progress",
        "return": "pending_dispatch",
        "withdraw": "withdrawn",
        "escalate": "pending_sign",
        "progress": "pending_sign",
        "merge": "merged",
    },
    "in_progress": {
        "return": "pending_dispatch",
        "resolve": "resolved",
        "escalate": "in_progress",
        "extension": "in_progress",
        "progress": "in_progress",
    },
    "resolved": {
        "reply": "closed",
        "reply_unsatisfied": "closed",
        "escalate": "resolved",
        "progress": "resolved",
    },
    "closed_satisfied": {},
    "closed_unsatisfied": {"reopen": "pending_sign", "escalate": "pending_sign"},
    "withdrawn": {},
    "merged": {},
}


def appeal_in(aw, state: str) -> Appeal:
    appeal = new_appeal(aw)
    for step in PATHS[state]:
        ACTIONS[step](aw, appeal)
    return Appeal.objects.get(pk=appeal.pk)


def row(appeal: Appeal) -> dict:
    fresh = Appeal.objects.get(pk=appeal.pk)
    data = {f.attname: getattr(fresh, f.attname) for f in Appeal._meta.concrete_fields if f.attname != "updated_at"}
    return data | {"events": AppealEvent.objects.filter(appeal=appeal).count()}


#: A wrong state is a ValidationError; a handler who cannot see an undispatched appeal gets a 404.
REFUSALS = (ValidationError, PermissionDenied, Http404)
CASES = [(state, action) for state in PATHS for action in ACTIONS]


@pytest.mark.parametrize(("state", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_every_action_from_every_state(aw, state, action):
    appeal = appeal_in(aw, state)
    before = row(appeal)
    expected = ALLOWED[state].get(action)
    if expected is None:
        with pytest.raises(REFUSALS) as refused:
            with transaction.atomic():
                ACTIONS[action](aw, appeal)
        error = refused.value
        message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message  # a Chinese message
        assert row(appeal) == before  # nothing changed, no event
    else:
        ACTIONS[action](aw, appeal)
        appeal.refresh_from_db()
        assert appeal.status == expected
        assert AppealEvent.objects.filter(appeal=appeal).count() == before["events"] + 1


def test_a_second_sign_for_is_refused_with_its_own_message(aw):
    appeal = appeal_in(aw, "in_progress")
    with pytest.raises(ValidationError, match="该诉求已签收，不能重复签收。"):
        act_sign(aw, appeal)


def test_resolving_an_appeal_nobody_signed_for_is_refused(aw):
    appeal = appeal_in(aw, "pending_sign")
    with pytest.raises(ValidationError, match="该诉求尚未签收，不能办结。"):
        act_resolve(aw, appeal)


def test_closing_needs_a_resolution_first(aw):
    appeal = appeal_in(aw, "in_progress")
    with pytest.raises(ValidationError, match="该诉求尚未办结，不能回访结案。"):
        act_reply(aw, appeal)


def test_only_the_owning_organisations_handlers_may_sign_and_resolve(aw):
    appeal = appeal_in(aw, "pending_sign")
    with pytest.raises(PermissionDenied, match="东一物业服务中心"):
        services.sign(appeal, actor=aw.actor("secretary"))  # sees it, but does not handle for the property company
    with pytest.raises(Http404):
        services.sign(appeal, actor=aw.actor("water_handler"))  # cannot even see it
    act_sign(aw, appeal)
    with pytest.raises(PermissionDenied):
        services.resolve(appeal, actor=aw.actor("staff"), outcome=Outcome.SOLVED, resolution="x")


def test_returning_gives_the_appeal_back_to_the_dispatcher_without_an_owner(aw):
    appeal = appeal_in(aw, "pending_sign")
    act_return(aw, appeal)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.assigned_org, appeal.current_due) == (Status.PENDING_DISPATCH, None, None)
    event = appeal.events.last()
    assert (event.action, event.note, event.org) == (
        EventAction.RETURNED,
        "属于市政路灯，应由城管处理",
        aw.orgs["property"],
    )
    with pytest.raises(ValidationError, match="退回理由"):
        services.return_appeal(appeal_in(aw, "pending_sign"), actor=aw.actor("dept_handler"), reason="  ")


def test_outcomes_that_owe_an_explanation_require_one(aw):
    appeal = appeal_in(aw, "in_progress")
    with pytest.raises(ValidationError, match="无法解决"):
        services.resolve(appeal, actor=aw.actor("dept_handler"), outcome=Outcome.UNSOLVABLE, resolution="查看了现场")
    services.resolve(
        appeal,
        actor=aw.actor("dept_handler"),
        outcome=Outcome.UNSOLVABLE,
        resolution="查看了现场",
        explanation="该路段属于规划道路，明年改造时一并解决",
    )


def test_reopen_needs_an_unsatisfied_rating(aw):
    with pytest.raises(ValidationError, match="不满意"):
        act_reopen(aw, appeal_in(aw, "closed_satisfied"))
    appeal = appeal_in(aw, "closed_unsatisfied")
    act_reopen(aw, appeal)
    appeal.refresh_from_db()
    assert (appeal.reopen_count, appeal.rating, appeal.reply_text, appeal.replied_at) == (1, "", "", None)
    assert appeal.assigned_org == aw.orgs["property"] and appeal.sign_due is not None


def test_escalating_an_unsatisfied_appeal_reopens_it_under_supervision(aw):
    appeal = appeal_in(aw, "closed_unsatisfied")
    act_escalate(aw, appeal)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.supervised, appeal.reopen_count) == (Status.PENDING_SIGN, True, 1)


def test_extension_approval_moves_the_deadline_and_happens_once(aw):
    appeal = appeal_in(aw, "in_progress")
    due = appeal.resolve_due
    ext = act_extension(aw, appeal)
    with pytest.raises(ValidationError, match="已有一条延期申请"):
        act_extension(aw, appeal)
    with pytest.raises(PermissionDenied):
        services.decide_extension(ext, actor=aw.actor("staff"), approve=True)
    services.decide_extension(ext, actor=aw.actor("secretary"), approve=True)
    appeal.refresh_from_db()
    assert appeal.resolve_due > due and appeal.current_due == appeal.resolve_due
    with pytest.raises(ValidationError, match="不能重复审批"):
        services.decide_extension(ext, actor=aw.actor("secretary"), approve=False, note="x")


def test_refusing_an_extension_needs_a_reason(aw):
    appeal = appeal_in(aw, "in_progress")
    ext = act_extension(aw, appeal)
    with pytest.raises(ValidationError, match="理由"):
        services.decide_extension(ext, actor=aw.actor("secretary"), approve=False)
    services.decide_extension(ext, actor=aw.actor("secretary"), approve=False, note="灯具不需要采购，库存有")
    assert ExtensionRequest.objects.get().status == "refused"


def test_anonymous_appeals_are_replied_publicly_without_a_rating(aw):
    appeal = new_appeal(aw, anonymous=True, reporter_name="", reporter_phone="")
    for step in ("dispatch", "sign", "resolve"):
        ACTIONS[step](aw, appeal)
    with pytest.raises(ValidationError, match="匿名"):
        act_reply(aw, appeal)
    services.reply(appeal, actor=aw.actor("staff"), text="已修好并公示", method=ReplyMethod.PUBLIC)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating) == (Status.CLOSED, Rating.NONE)


def test_dispatch_needs_a_category_and_a_bound_organisation(aw):
    appeal = new_appeal(aw)
    appeal.category = None
    appeal.save()
    with pytest.raises(ValidationError, match="问题类别"):
        act_dispatch(aw, appeal)
    appeal = new_appeal(aw, building="b3")  # 东二社区 binds only a property company
    with pytest.raises(ValidationError, match="还没有设置“水务”的承办机构"):
        services.dispatch(appeal, aw.units["water"], actor=aw.actor("street_admin"))


def test_the_database_refuses_a_closed_appeal_without_a_reply(aw):
    from django.db import IntegrityError

    appeal = new_appeal(aw)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(status=Status.CLOSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(status=Status.IN_PROGRESS)  # owned, but no owner


# --- random sequences -------------------------------------------------------------------------------


def check_invariants(appeal: Appeal) -> None:
    if appeal.status == Status.CLOSED:
        assert appeal.replied_at is not None and appeal.reply_text
        assert appeal.resolved_at is not None and appeal.outcome
    if appeal.status in OWNED:
        assert appeal.assigned_org_id is not None and appeal.unit_id is not None
    expected_due = {
        Status.PENDING_SIGN: appeal.sign_due,
        Status.IN_PROGRESS: appeal.resolve_due,
        Status.RESOLVED: appeal.reply_due,
    }.get(appeal.status)
    assert appeal.current_due == expected_due
    if appeal.status in (Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED):
        assert appeal.signed_at is not None
    # 已合并 (issue 6 §2): it points to an open or finished main appeal that is not itself merged.
    assert (appeal.status == Status.MERGED) == (appeal.merged_into_id is not None)
    if appeal.merged_into_id:
        assert appeal.merged_into.status != Status.MERGED and appeal.merged_into_id != appeal.pk
    last = appeal.events.order_by("-at", "-id").first()
    assert last.to_status == appeal.status


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(sorted(ACTIONS)), min_size=1, max_size=12))
def test_random_sequences_keep_the_invariants(aw, steps):
    appeal = new_appeal(aw)
    for step in steps:
        events = appeal.events.count()
        try:
            with transaction.atomic():
                ACTIONS[step](aw, appeal)
        except REFUSALS:
            assert appeal.events.count() == events
        else:
            assert appeal.events.count() == events + 1
        appeal.refresh_from_db()
        check_invariants(appeal)


def test_deadlines_follow_the_category_and_urgency(aw):
    appeal = new_appeal(aw, category="lift")  # 急办: 24 calendar hours
    act_dispatch(aw, appeal)
    appeal.refresh_from_db()
    assert appeal.resolve_due - appeal.dispatched_at == datetime.timedelta(hours=24)
    assert appeal.current_due == appeal.sign_due
