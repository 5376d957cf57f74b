"""A member's yearly service (linli.party.service) counted from the volunteers' and wishes' own rows: confirmed
volunteer hours only, in the year (local time); wishes by claim date, a claim given back not counted; pairings live
at some point in the year; contacts and meetings in the year. Grouped queries, not one per member."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from linli.party import services
from linli.party.choices import Attendance as Presence
from linli.party.choices import MeetingKind
from linli.party.models import PartyMember
from linli.party.service import member_figures, unit_figures
from linli.testing import SYSTEM
from linli.volunteers.choices import AttendanceMethod, AttendanceStatus
from linli.volunteers.models import Activity, Attendance, Volunteer
from linli.wishes.models import Claimer, Wish, WishClaim

pytestmark = pytest.mark.django_db


def local(year, month, day, hour=10):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def linked(pw):
    """李四 linked to a volunteer record and a claimer record of 东一, 刘在职 to another volunteer record."""
    e1 = pw.communities["e1"]
    li, liu = pw.members["e1"], pw.members["e1_in_service"]
    vol_li = Volunteer.objects.create(community=e1, name="李四")
    vol_liu = Volunteer.objects.create(community=e1, name="刘在职")
    claimer = Claimer.objects.create(community=e1, name="李四")
    PartyMember.objects.filter(pk=li.pk).update(volunteer=vol_li, claimer=claimer)
    PartyMember.objects.filter(pk=liu.pk).update(volunteer=vol_liu)
    li.refresh_from_db()
    liu.refresh_from_db()
    return pw, li, liu, vol_li, vol_liu, claimer


def activity(pw, starts_at):
    return Activity.objects.create(
        community=pw.communities["e1"],
        title="楼道清洁",
        kind="cleaning",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        place="1栋",
        capacity=5,
    )


def attend(activity, volunteer, hours, status=AttendanceStatus.CONFIRMED):
    return Attendance.objects.create(
        activity=activity, volunteer=volunteer, status=status, method=AttendanceMethod.LEADER, hours=Decimal(hours)
    )


def claim(pw, claimer, claimed_at, *, fulfilled=False, released=False):
    wish = Wish.objects.create(community=pw.communities["e1"], title="一个新书包", beneficiary_name="张三")
    return WishClaim.objects.create(
        wish=wish,
        claimer=claimer,
        claimed_at=claimed_at,
        fulfilled=fulfilled,
        released_at=claimed_at + datetime.timedelta(days=1) if released else None,
    )


def test_volunteer_hours_count_confirmed_attendance_in_the_year_only(linked):
    pw, li, liu, vol_li, vol_liu, _ = linked
    attend(activity(pw, local(2026, 3, 1)), vol_li, "2.5")
    attend(activity(pw, local(2026, 12, 31, 23)), vol_li, "1")  # the last evening of the year, local time
    attend(activity(pw, local(2026, 5, 1)), vol_li, "4", status=AttendanceStatus.CHECKED_IN)  # not confirmed
    attend(activity(pw, local(2025, 12, 31, 23)), vol_li, "8")  # the year before
    attend(activity(pw, local(2027, 1, 1, 0)), vol_li, "16")  # the year after
    attend(activity(pw, local(2026, 6, 1)), vol_liu, "3")
    figures = member_figures([li, liu], 2026)
    assert (figures[li.pk].volunteer_hours, figures[li.pk].activities) == (Decimal("3.5"), 2)
    assert (figures[liu.pk].volunteer_hours, figures[liu.pk].activities) == (Decimal("3"), 1)
    assert member_figures([li], 2025)[li.pk].volunteer_hours == Decimal("8")


def test_wishes_count_by_claim_date_and_a_released_claim_is_not_service(linked):
    pw, li, _, _, _, claimer = linked
    claim(pw, claimer, local(2026, 2, 1), fulfilled=True)
    claim(pw, claimer, local(2026, 4, 1))
    claim(pw, claimer, local(2026, 5, 1), released=True)
    claim(pw, claimer, local(2025, 12, 31, 23), fulfilled=True)
    figures = member_figures([li], 2026)[li.pk]
    assert (figures.wishes_claimed, figures.wishes_fulfilled) == (2, 1)
    assert member_figures([li], 2025)[li.pk].wishes_fulfilled == 1


def test_pairings_count_when_live_in_the_year_and_contacts_by_their_date(pw):
    li = pw.members["e1"]
    chen = pw.residents["chen"].household
    ended = services.pair(li, chen, actor=SYSTEM, started_on=datetime.date(2025, 3, 1))
    services.add_contact(ended, actor=SYSTEM, contacted_on=datetime.date(2025, 12, 30), note="电话问候")
    from linli.party.services_pairing import end_pairing

    end_pairing(ended, actor=SYSTEM, ended_on=datetime.date(2026, 1, 2), reason="搬去子女家")
    figures = member_figures([li], 2026)[li.pk]
    assert (figures.pairings, figures.contacts) == (2, 1)  # 张三's (from the world) and 陈奶奶's, ended in January
    last_year = member_figures([li], 2025)[li.pk]
    assert (last_year.pairings, last_year.contacts) == (1, 1)
    assert member_figures([li], 2027)[li.pk].pairings == 1  # only the live one


def test_meetings_attended_out_of_expected_in_the_year(pw):
    li, liu = pw.members["e1"], pw.members["e1_in_service"]
    services.record_meeting(
        pw.orgs["e1"],
        actor=SYSTEM,
        kind=MeetingKind.GENERAL,
        held_on=datetime.date(2026, 1, 1),
        topic="一季度党员大会",
        attendance={li.pk: (Presence.ABSENT, ""), liu.pk: (Presence.PRESENT, "")},
    )
    services.record_meeting(
        pw.orgs["e1"], actor=SYSTEM, kind=MeetingKind.LECTURE, held_on=datetime.date(2025, 12, 31), topic="党课"
    )
    figures = member_figures([li, liu], 2026)
    assert (figures[li.pk].meetings_attended, figures[li.pk].meetings_expected, figures[li.pk].attendance_rate) == (
        1,
        2,
        50,
    )
    assert (figures[liu.pk].meetings_attended, figures[liu.pk].meetings_expected) == (1, 2)
    assert member_figures([li], 2025)[li.pk].meetings_expected == 1


def test_a_member_without_records_has_zero_figures_and_no_rate(pw):
    figures = member_figures([pw.members["e1_b2"]], 2026)[pw.members["e1_b2"].pk]
    assert (figures.volunteer_hours, figures.wishes_claimed, figures.pairings, figures.attendance_rate) == (
        0,
        0,
        0,
        None,
    )
    assert member_figures([], 2026) == {}


def test_a_unit_sums_its_confirmed_members_and_orders_them_by_hours(linked):
    pw, li, liu, vol_li, vol_liu, _ = linked
    PartyMember.objects.filter(pk=li.pk).update(work_unit=pw.units["e1"])
    attend(activity(pw, local(2026, 3, 1)), vol_li, "1")
    attend(activity(pw, local(2026, 3, 2)), vol_liu, "5")
    [unit] = unit_figures([pw.units["e1"]], 2026)
    assert [m.name for m, _ in unit.members] == ["刘在职", "李四"]
    assert (unit.total.members, unit.total.volunteer_hours, unit.total.pairings) == (2, Decimal("6"), 1)


def test_figures_take_a_fixed_number_of_queries_for_any_number_of_members(linked, django_assert_max_num_queries):
    pw, li, liu, *_ = linked
    members = list(PartyMember.objects.filter(community=pw.communities["e1"]))
    with django_assert_max_num_queries(5):
        member_figures(members, 2026)


def test_the_totals_and_the_order_agree_with_each_members_figures(linked):
    from linli.party.service import Figures, ranking, total_figures

    pw, li, liu, vol_li, vol_liu, claimer = linked
    attend(activity(pw, local(2026, 3, 1)), vol_li, "1")
    attend(activity(pw, local(2026, 3, 2)), vol_liu, "5")
    claim(pw, claimer, local(2026, 2, 1), fulfilled=True)
    members = PartyMember.objects.filter(community=pw.communities["e1"]).active()
    summed = Figures(members=0)
    for figures in member_figures(members, 2026).values():
        summed.add(figures)
        summed.members += 1
    assert total_figures(members, 2026) == summed
    wang = pw.members["e1_b2"]
    assert ranking(members, 2026, "hours") == [liu.pk, li.pk, wang.pk]
    assert ranking(members, 2026, "contacts") == [li.pk, liu.pk, wang.pk]
    assert ranking(members, 2026, "name") == [m.pk for m in sorted([li, liu, wang], key=lambda m: (m.name, m.pk))]
