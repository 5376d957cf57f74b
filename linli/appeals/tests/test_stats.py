"""诉求统计: exact figures on a small hand-built set, scope, drill-down links, and a constant query count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linli.appeals import services
from linli.appeals.choices import Outcome, Rating, ReplyMethod, Status
from linli.appeals.stats import Period, appeal_report
from linli.appeals.tests.conftest import new_appeal
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(8 * 60)
MON = datetime.datetime(2026, 9, 7, 9, 0, tzinfo=TZ)  # a Monday with a plain working week around it
NOW = datetime.datetime(2026, 9, 30, 12, 0, tzinfo=TZ)
SEPTEMBER = Period(datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))
H, D = datetime.timedelta(hours=1), datetime.timedelta(days=1)


class Clock:
    """services._now, moved by hand: every step happens at the time the test says."""

    def __init__(self, monkeypatch):
        self.at = MON
        monkeypatch.setattr(services, "_now", lambda: self.at)

    def __call__(self, at):
        self.at = at
        return self


def _appeal(
    aw,
    clock,
    received,
    *,
    building="b1",
    category="corridor_light",
    unit="property",
    sign=None,
    resolve=None,
    reply=None,
    rating=Rating.SATISFIED,
    **kwargs,
):
    clock(received)
    a = new_appeal(aw, building=building, category=category, received_at=received, **kwargs)
    if unit is None:
        return a
    a = services.dispatch(a, aw.units[unit], actor=SYSTEM)
    if sign:
        clock(sign)
        a = services.sign(a, actor=SYSTEM)
    if resolve:
        clock(resolve)
        a = services.resolve(a, actor=SYSTEM, outcome=Outcome.SOLVED, resolution="已处理")
    if reply:
        clock(reply)
        a = services.reply(a, actor=SYSTEM, text="已电话告知", method=ReplyMethod.PHONE, rating=rating)
    return a


@pytest.fixture
def built(aw, monkeypatch):
    """Nine appeals in 东一社区 in September (and one in August still open), one in 东二社区."""
    clock = Clock(monkeypatch)
    a = {}
    a[1] = _appeal(aw, clock, MON, sign=MON + H, resolve=MON + 2 * D, reply=MON + 2 * D + H)
    # signed late (due Tuesday 09:00), resolved late (7 working days: due Wednesday 16th), 基本满意
    a[2] = _appeal(
        aw, clock, MON, sign=MON + 3 * D, resolve=MON + 10 * D, reply=MON + 10 * D + H, rating=Rating.BASICALLY
    )
    # resolved late, 不满意, reopened (its late resolution goes with the round), signed again on time
    a[3] = _appeal(
        aw, clock, MON, sign=MON + H, resolve=MON + 14 * D, reply=MON + 14 * D + H, rating=Rating.UNSATISFIED
    )
    clock(MON + 15 * D)
    services.reopen(a[3], actor=SYSTEM, note="居民说灯还是不亮")
    clock(MON + 15 * D + H)
    a[3] = services.sign(a[3], actor=SYSTEM)
    # resolved on Tuesday, reply due Thursday 10th, never replied: a reply failure
    a[4] = _appeal(aw, clock, MON, sign=MON + H, resolve=MON + D)
    # water, 急办 (24 hours): signed, never resolved, overdue; under supervision
    a[5] = _appeal(aw, clock, MON + D, category="water_outage", unit="water", sign=MON + D + H)
    clock(MON + 3 * D)
    services.escalate(a[5], actor=SYSTEM, note="请尽快恢复供水")
    a[6] = _appeal(aw, clock, MON + 2 * D, unit=None)  # waiting for dispatch, no deadline
    a[7] = _appeal(aw, clock, MON, sign=MON + H, resolve=MON + D, reply=MON + D + H, rating=Rating.NONE)
    a[8] = _appeal(aw, clock, MON, building="b3", sign=MON + H, resolve=MON + D, reply=MON + D + H)  # 东二社区
    aug = datetime.datetime(2026, 8, 3, 9, 0, tzinfo=TZ)
    a[9] = _appeal(aw, clock, aug, sign=aug + H)  # received before the period, still open and overdue
    a[10] = _appeal(aw, clock, MON, unit=None)
    clock(MON + H)
    services.withdraw(a[10], actor=SYSTEM, reason="居民自己修好了")
    a[12] = _appeal(aw, clock, MON, sign=MON + H, resolve=MON + D, reply=MON + D + H, rating=Rating.UNSATISFIED)
    return a


def test_it_counts_the_secretarys_community_exactly(aw, built):
    report = appeal_report(aw.users["secretary"], SEPTEMBER, now=NOW)
    t = report.total
    assert t.total == 9  # 1-7, 10, 12 (not 8 in 东二, not 9 received in August)
    assert (t.signed, t.signed_on_time, t.sign_rate) == (7, 6, 85.7)
    assert (t.resolved, t.resolved_on_time, t.resolve_rate) == (5, 4, 80.0)
    assert t.avg_resolve_days == 3.0  # (2 + 10 + 1 + 1 + 1) / 5 calendar days
    assert (t.replied, t.reply_owed, t.reply_rate, t.reply_missed) == (4, 5, 80.0, 1)
    assert t.awaiting_reply == 1
    assert (t.rated, t.satisfied, t.satisfaction_rate) == (3, 2, 66.7)
    assert (t.ever_closed, t.reopened, t.reopen_rate) == (5, 1, 20.0)
    assert (t.open_now, t.overdue_now, t.supervised_now) == (5, 3, 1)  # overdue: 4 (reply), 5, 9
    assert t.alarm and t.reply_alarm and t.sign_alarm and t.resolve_alarm
    assert report.ratings == {"满意": 1, "基本满意": 1, "不满意": 1, "未评价": 1}


def test_it_groups_by_unit_organisation_category_and_community(aw, built):
    report = appeal_report(aw.users["secretary"], SEPTEMBER, now=NOW)
    units = {f.label: f for f in report.groups["unit"]}
    assert set(units) == {"物业服务企业", "水务", "未派单"}
    assert (units["物业服务企业"].total, units["物业服务企业"].open_now, units["物业服务企业"].overdue_now) == (6, 3, 2)
    assert (units["水务"].total, units["水务"].overdue_now, units["水务"].resolve_rate) == (1, 1, None)
    assert (units["未派单"].total, units["未派单"].open_now) == (2, 1)
    orgs = {f.label: f.total for f in report.groups["organisation"]}
    assert orgs == {"东一物业服务中心": 6, "区水务局": 1, "未派单": 2}
    categories = {f.label: f.total for f in report.groups["category"]}
    assert categories == {"楼道照明": 8, "停水与水压": 1}
    assert [(f.label, f.total) for f in report.groups["community"]] == [("东一社区", 9)]


def test_the_street_sees_every_community(aw, built):
    report = appeal_report(aw.users["street_admin"], SEPTEMBER, now=NOW)
    assert report.total.total == 10
    assert sorted((f.label, f.total, f.replied) for f in report.groups["community"]) == [
        ("东一社区", 9, 4),
        ("东二社区", 1, 1),
    ]


def test_it_shows_nothing_outside_scope(aw, built):
    report = appeal_report(aw.users["nobody"], SEPTEMBER, now=NOW)
    assert report.total.total == 0 and report.total.open_now == 0
    assert all(not rows for rows in report.groups.values())
    assert report.total.reply_rate is None and not report.total.alarm


def test_the_weekly_series_counts_each_week_by_status(aw, built):
    report = appeal_report(aw.users["secretary"], SEPTEMBER, now=NOW)
    assert [w["week"] for w in report.weeks] == [datetime.date(2026, 9, 7)]
    assert report.weeks[0]["counts"] == {
        Status.CLOSED: 4,
        Status.IN_PROGRESS: 2,
        Status.RESOLVED: 1,
        Status.PENDING_DISPATCH: 1,
        Status.WITHDRAWN: 1,
    }


def test_the_page_shows_the_figures_with_drill_down_links(aw, built, login, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    resp = login(aw.users["secretary"]).get(
        reverse("appeals:appeal_stats"), {"start": "2026-09-01", "end": "2026-09-30"}
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "80.0%（1件未回访）" in html
    assert 'class="alarm"' in html
    assert "received_from=2026-09-01&amp;received_to=2026-09-30" in html
    assert f"?unit={aw.units['water'].pk}&amp;overdue=1" in html
    assert 'id="appeal-stats-data" type="application/json"' in html
    assert "appeals_stats.js" in html


def test_a_bad_period_falls_back_with_a_message(aw, login):
    resp = login(aw.users["secretary"]).get(
        reverse("appeals:appeal_stats"), {"start": "2026-09-30", "end": "2026-09-01"}
    )
    assert resp.status_code == 200
    assert "开始日期不能晚于结束日期" in resp.content.decode()
    resp = login(aw.users["secretary"]).get(reverse("appeals:appeal_stats"), {"start": "昨天"})
    assert resp.status_code == 200


def test_handlers_and_grid_workers_may_not_open_the_page(aw, login):
    for persona in ("dept_handler", "grid_worker_1"):
        assert login(aw.users[persona]).get(reverse("appeals:appeal_stats")).status_code == 403


def _page_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("appeals:appeal_stats")).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_costs_the_same_queries_with_more_appeals(aw, login):
    client = login(aw.users["secretary"])
    now = timezone.now()
    for i in range(2):
        new_appeal(aw, received_at=now - datetime.timedelta(days=i))
    _page_queries(client)  # warm-up: session, user and cached lookups
    few = _page_queries(client)
    for i in range(12):
        a = new_appeal(
            aw, category="water_outage" if i % 2 else "corridor_light", received_at=now - datetime.timedelta(days=i * 7)
        )
        a = services.dispatch(a, aw.units["water" if i % 2 else "property"], actor=SYSTEM)
        if i % 3:
            a = services.sign(a, actor=SYSTEM)
            a = services.resolve(a, actor=SYSTEM, outcome=Outcome.SOLVED, resolution="已处理")
            services.reply(a, actor=SYSTEM, text="已告知", method=ReplyMethod.PHONE, rating=Rating.SATISFIED)
    _page_queries(client)  # the writes cleared cached lookups (the header's unread count): warm them again
    assert _page_queries(client) == few


def test_the_home_page_shows_the_appeal_block(aw, login, monkeypatch):
    a = new_appeal(aw, received_at=timezone.now() - datetime.timedelta(days=20))
    then = timezone.now() - datetime.timedelta(days=20)
    monkeypatch.setattr(services, "_now", lambda: then)
    services.dispatch(a, aw.units["property"], actor=SYSTEM)
    monkeypatch.undo()
    new_appeal(aw)
    html = login(aw.users["secretary"]).get(reverse("core:home")).content.decode()
    assert "<h2>诉求</h2>" in html
    assert "<span>在办</span><b data-figure-value>2</b>" in html
    assert "<span>超期</span><b data-figure-value>1</b>" in html
    assert reverse("appeals:appeal_stats") in html
    html = login(aw.users["grid_worker_2"]).get(reverse("core:home")).content.decode()
    assert "<span>在办</span><b data-figure-value>0</b>" in html  # the appeals are in grid 1
    assert reverse("appeals:appeal_stats") not in html
    html = login(aw.users["dept_handler"]).get(reverse("core:home")).content.decode()
    assert "<h2>诉求</h2>" not in html


def _selected(page: str) -> str:
    import re

    select = re.search(r'<select name="days".*?</select>', page, re.S).group(0)
    return re.search(r'<option value="[^"]*" selected>([^<]*)</option>', select).group(1)


@pytest.mark.parametrize(
    "query, selected, days",
    [
        ({}, "近90天", 90),
        ({"days": "30"}, "近30天", 30),
        ({"days": "365"}, "近365天", 365),
        ({"start": "2026-01-01", "end": "2026-01-31", "days": "30"}, "按起止日期", 31),
    ],
)
def test_the_period_selector_names_the_period_shown(aw, login, query, selected, days):
    response = login(aw.users["secretary"]).get(reverse("appeals:appeal_stats"), query)
    period = response.context["period"]
    assert (period.end - period.start).days + 1 == days
    assert _selected(response.content.decode()) == selected
