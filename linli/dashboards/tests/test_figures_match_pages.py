"""On the demo, every family's dashboard figures are the figures of its own pages (one test per family)."""

import datetime

import pytest
from django.utils import timezone

from linli.accounts.models import User
from linli.areas.models import Community, Grid, Street
from linli.dashboards.board import build_board, month_start

pytestmark = pytest.mark.django_db


def user(username):
    return User.objects.get(username=username)


def cells(board) -> dict:
    return {c.key: c.value for _family, cs in board.families for c in cs}


@pytest.fixture
def demo(demo_output, db):
    today = timezone.localdate()
    community = Community.objects.get(code="qinghejuju")
    return {
        "today": today,
        "start": month_start(today),
        "community": community,
        "street": Street.objects.get(pk=community.street_id),
        "grid": Grid.objects.filter(community=community).order_by("number").first(),
    }


def test_population_is_the_resident_list_and_the_care_table(demo):
    from linli.residents.models import Resident
    from linli.support.figures import in_need, scoped_households

    shuji = user("shuji")
    figures = cells(build_board(shuji, "community", demo["community"]))
    assert figures["residents.population"] == Resident.objects.restrict(shuji).active().count() > 8000
    assert figures["residents.care"] == in_need(scoped_households(shuji), user=shuji).count() > 0


def test_visits_are_the_coverage_page_for_a_grid_worker(demo):
    from linli.visits.coverage import coverage_report
    from linli.visits.models import Visit
    from linli.visits.overdue import overdue_residents

    worker = user("wangge1")
    grid = Grid.objects.restrict(worker).get()
    figures = cells(build_board(worker, "grid", grid))
    report = coverage_report(worker)
    assert figures["visits.care_due"] == report.total.care > 0
    assert figures["visits.on_time"] == report.total.on_time
    assert figures["visits.overdue"] == overdue_residents(worker).count() == report.total.overdue
    made = Visit.objects.restrict(worker).filter(visited_on__gte=demo["start"], visited_on__lte=demo["today"])
    assert figures["visits.made"] == made.count()
    from linli.core.figures import percent

    assert figures["visits.coverage"] == percent(report.total.on_time, report.total.care, 1)


def test_appeals_are_the_appeal_report_of_this_month(demo):
    from linli.appeals.stats import Period, appeal_report

    admin = user("jiedao")
    figures = cells(build_board(admin, "street", demo["street"]))
    total = appeal_report(admin, Period(demo["start"], demo["today"])).total
    assert figures["appeals.received"] == total.total
    assert figures["appeals.resolved_on_time"] == total.resolved_on_time
    assert figures["appeals.replied"] == total.replied
    assert figures["appeals.satisfied"] == total.satisfied
    assert figures["appeals.open"] == total.open_now > 0
    assert figures["appeals.overdue"] == total.overdue_now
    assert figures["appeals.on_time_rate"] == total.resolve_rate
    assert figures["appeals.reply_rate"] == total.reply_rate
    assert figures["appeals.satisfaction"] == total.satisfaction_rate


def test_volunteer_hours_are_the_hours_report(demo):
    from linli.volunteers.models import Volunteer
    from linli.volunteers.report import build_hours_report

    shuji = user("shuji")
    figures = cells(build_board(shuji, "community", demo["community"]))
    report = build_hours_report(shuji, demo["start"], demo["today"])
    assert figures["volunteers.hours"] == pytest.approx(float(report.total))
    assert figures["volunteers.registered"] == Volunteer.objects.restrict(shuji).filter(is_active=True).count() > 0


def test_love_bank_points_are_the_monthly_totals(demo):
    from linli.core.figures import day_bounds
    from linli.lovebank.stats import monthly_totals

    shuji = user("shuji")
    figures = cells(build_board(shuji, "community", demo["community"]))
    low, high = day_bounds(demo["start"], demo["today"])
    months = dict(monthly_totals(Community.objects.filter(pk=demo["community"].pk), low, high))
    this = months.get(demo["start"], {"earned": 0, "spent": 0})
    assert (figures["lovebank.earned"], figures["lovebank.spent"]) == (this["earned"], this["spent"])


def test_wishes_are_the_wish_list_by_status(demo):
    from linli.wishes.choices import WishStatus
    from linli.wishes.models import Wish

    shuji = user("shuji")
    figures = cells(build_board(shuji, "community", demo["community"]))
    wishes = Wish.objects.restrict(shuji)
    assert figures["wishes.open"] == wishes.filter(status=WishStatus.OPEN).count()
    assert figures["wishes.claimed"] == wishes.filter(status=WishStatus.CLAIMED).count()
    low = datetime.datetime.combine(demo["start"], datetime.time.min, tzinfo=timezone.get_current_timezone())
    assert figures["wishes.fulfilled"] == wishes.filter(status=WishStatus.FULFILLED, fulfilled_at__gte=low).count()
    assert sum(figures[k] for k in ("wishes.open", "wishes.claimed")) > 0


def test_the_demo_has_a_year_of_rollups_behind_the_trends(demo):
    board = build_board(user("jiedao"), "street", demo["street"])
    visits = next(t for t in board.trends if t["name"] == "visits")
    made = next(s for s in visits["series"] if s["key"] == "visits.made")["data"]
    assert len(made) == 12 and all(v is not None for v in made[-6:]) and sum(v or 0 for v in made[:-1]) > 0
    assert board.run is not None and board.run.day == demo["today"] - datetime.timedelta(days=1)
