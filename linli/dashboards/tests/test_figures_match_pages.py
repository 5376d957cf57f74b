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


def month_bounds(demo):
    from linli.core.figures import day_bounds

    return day_bounds(demo["start"], demo["today"])


def test_deliberation_is_the_matter_list(demo):
    from linli.deliberation.choices import OPEN_STATUSES, MatterStatus
    from linli.deliberation.models import Matter

    shuji = user("shuji")
    figures = cells(build_board(shuji, "community", demo["community"]))
    matters = Matter.objects.restrict(shuji)
    low, high = month_bounds(demo)
    assert figures["deliberation.open"] == matters.filter(status__in=OPEN_STATUSES).count() > 0
    done = matters.filter(status=MatterStatus.DONE, closed_at__gte=low, closed_at__lt=high)
    assert figures["deliberation.decided"] == done.count()


def test_votes_are_the_open_votes_and_their_turnout(demo):
    from linli.core.figures import percent
    from linli.votes.choices import VoteStatus
    from linli.votes.models import Ballot, EligibleHousehold, Vote

    shuji = user("shuji")
    figures = cells(build_board(shuji, "community", demo["community"]))
    votes = Vote.objects.restrict(shuji).filter(status=VoteStatus.OPEN)
    eligible = EligibleHousehold.objects.filter(vote__in=votes).count()
    voted = Ballot.objects.filter(vote__in=votes).count()
    assert figures["votes.open"] == votes.count() > 0
    assert (figures["votes.eligible"], figures["votes.voted"]) == (eligible, voted)
    assert figures["votes.turnout"] == percent(voted, eligible, 1)


def test_mediation_is_the_case_register_of_the_month(demo):
    from linli.core.figures import percent
    from linli.mediation.choices import CaseStatus
    from linli.mediation.models import Case

    admin = user("jiedao")
    figures = cells(build_board(admin, "street", demo["street"]))
    cases = Case.objects.restrict(admin, "count").filter(received_on__gte=demo["start"], received_on__lte=demo["today"])
    settled = cases.filter(status=CaseStatus.SETTLED).count()
    ended = cases.filter(status__in=[CaseStatus.SETTLED, CaseStatus.FAILED]).count()
    assert figures["mediation.received"] == cases.count()
    assert (figures["mediation.settled"], figures["mediation.concluded"]) == (settled, ended)
    assert figures["mediation.success"] == percent(settled, ended, 1)


def test_party_life_and_dual_registration_are_the_party_lists(demo):
    from linli.party.choices import MemberStatus, Review
    from linli.party.models import PartnerUnit, PartyMeeting, PartyMember

    shuji = user("shuji")
    figures = cells(build_board(shuji, "community", demo["community"]))
    meetings = PartyMeeting.objects.restrict(shuji).filter(held_on__gte=demo["start"], held_on__lte=demo["today"])
    assert figures["party.meetings"] == meetings.count()
    units = PartnerUnit.objects.restrict(shuji).filter(dual_registered=True, review=Review.CONFIRMED, is_active=True)
    assert figures["party.units"] == units.count()
    members = PartyMember.objects.restrict(shuji).filter(is_active=True, status=MemberStatus.IN_SERVICE)
    assert figures["party.in_service"] == members.count()
    assert figures["party.units"] + figures["party.in_service"] > 0


def test_notices_sent_are_the_notice_list_of_the_month(demo):
    from linli.notices.choices import NoticeStatus
    from linli.notices.models import Notice

    shuji = user("shuji")
    figures = cells(build_board(shuji, "community", demo["community"]))
    low, high = month_bounds(demo)
    sent = Notice.objects.restrict(shuji).filter(status=NoticeStatus.SENT, sent_at__gte=low, sent_at__lt=high)
    assert figures["notices.sent"] == sent.count()


def test_campaign_progress_is_the_campaigns_progress(demo):
    from linli.campaigns.choices import CampaignStatus
    from linli.campaigns.models import Campaign
    from linli.campaigns.progress import progress
    from linli.core.figures import percent

    shuji = user("shuji")
    figures = cells(build_board(shuji, "community", demo["community"]))
    lines = [progress(c, shuji)["total"] for c in Campaign.objects.restrict(shuji).filter(status=CampaignStatus.ACTIVE)]
    total, done = sum(line.total for line in lines), sum(line.done for line in lines)
    assert (figures["campaigns.targets"], figures["campaigns.done"]) == (total, done)
    assert total > 0 and figures["campaigns.progress"] == percent(done, total, 1)


def test_room_use_is_the_confirmed_bookings_of_the_month(demo):
    from linli.places.choices import BookingStatus
    from linli.places.models import Booking

    shuji = user("shuji")
    figures = cells(build_board(shuji, "community", demo["community"]))
    low, high = month_bounds(demo)
    used = Booking.objects.restrict(shuji).filter(
        status=BookingStatus.CONFIRMED, starts_at__gte=low, starts_at__lt=high
    )
    assert figures["places.bookings"] == used.count()
    hours = sum((b.ends_at - b.starts_at).total_seconds() for b in used) / 3600
    assert figures["places.hours"] == pytest.approx(hours, abs=0.01)


def test_open_appeals_by_unit_add_up_to_the_open_appeals(demo):
    from linli.appeals.choices import OPEN
    from linli.appeals.models import Appeal

    admin = user("jiedao")
    board = build_board(admin, "street", demo["street"])
    (breakdown,) = dict(board.breakdowns)["appeals"]
    by_unit = {name: value for name, value, _link in breakdown["rows"]}
    assert sum(by_unit.values()) == cells(board)["appeals.open"] > 0
    appeals = Appeal.objects.restrict(admin).filter(status__in=OPEN)
    for name, value in by_unit.items():
        if name != "未派单":
            assert appeals.filter(unit__name=name).count() == value
    grid_board = build_board(user("wangge1"), "grid", demo["grid"])
    assert dict(grid_board.breakdowns).get("appeals") is None  # a street's and a community's only


NEW_FAMILIES = ("deliberation", "votes", "mediation", "party", "notices", "campaigns", "places")


def test_the_rollup_agrees_with_the_new_families_live_figures(demo):
    """The demo's rollup (linli rollup, run by the demo step up to yesterday) stores for each new figure what the
    figure counts live for the same days: a flow's days of the last 31, a stock's yesterday."""
    from decimal import Decimal

    from django.db.models import Sum

    from linli.core import shell
    from linli.dashboards.models import DailyFigure

    yesterday = demo["today"] - datetime.timedelta(days=1)
    first = yesterday - datetime.timedelta(days=30)
    node = shell.FigureNode("community", demo["community"].pk)
    stored = DailyFigure.objects.filter(level="community", node_id=node.id)
    checked = 0
    for figure in shell.registry.dashboard_figures.values():
        if figure.family not in NEW_FAMILIES:
            continue
        if figure.kind == shell.STOCK:
            live = sum(Decimal(v) for _c, _g, v in figure.compute(yesterday, node))
            kept = stored.filter(key=figure.key, day=yesterday).aggregate(s=Sum("value"))["s"] or 0
        else:
            live = sum(Decimal(v) for _d, _c, _g, v in figure.compute(first, yesterday, node))
            days = stored.filter(key=figure.key, day__gte=first, day__lte=yesterday)
            kept = days.aggregate(s=Sum("value"))["s"] or 0
        assert round(Decimal(kept), 2) == round(live, 2), figure.key
        checked += 1 if live else 0
    assert checked >= 5
