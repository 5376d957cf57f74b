"""A case from intake to follow-up, through the services (each with an actor and a change record)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from linli.core.audit import history_of
from linli.core.models import ChangeRecord
from linli.mediation import services
from linli.mediation.choices import CaseStatus, FollowUpResult, PartyRole, ReceptionHandling, Referral
from linli.mediation.models import Case, Reception
from linli.notifications.models import Notification
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def test_quick_intake_numbers_cases_per_community_and_year(mw):
    e1 = mw.communities["e1"]
    case = services.open_case(
        actor=mw.actor("staff"), community=e1, case_type="noise", account="楼上吵", applicant_name="钱女士"
    )
    year = timezone.localdate().year
    assert case.number == f"东一调〔{year}〕4号"
    assert case.received_by == mw.users["staff"] and case.referred_by is None
    assert case.parties.get().role == PartyRole.APPLICANT
    assert history_of(case).filter(note="受理调解案件").exists()


def test_intake_refuses_missing_fields_and_changes_nothing(mw):
    before = Case.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.open_case(actor=mw.actor("staff"), community=mw.communities["e1"], case_type="bogus", account=" ")
    assert set(exc.value.message_dict) == {"case_type", "account", "applicant_name"}
    with pytest.raises(ValidationError) as exc:
        services.open_case(
            actor=mw.actor("staff"),
            community=mw.communities["e1"],
            case_type="noise",
            account="吵",
            applicant_name="钱",
            applicant_phone="123",
        )
    assert "applicant_phone" in exc.value.message_dict
    assert Case.objects.count() == before


def test_intake_outside_the_area_or_without_the_role_is_refused(mw):
    with pytest.raises(Http404):
        services.open_case(
            actor=mw.actor("staff"),
            community=mw.communities["w1"],
            case_type="noise",
            account="吵",
            applicant_name="钱",
        )
    with pytest.raises(PermissionDenied):
        services.open_case(
            actor=mw.actor("volunteer"),
            community=mw.communities["e1"],
            case_type="noise",
            account="吵",
            applicant_name="钱",
        )


def test_a_grid_worker_refers_a_case(mw):
    case = services.open_case(
        actor=mw.actor("grid_worker_2"),
        community=mw.communities["e1"],
        case_type="family",
        account="争吵",
        applicant_name="钱",
    )
    assert case.referred_by == mw.users["grid_worker_2"] and case.source == "referral"


def test_a_scheduled_session_tells_the_mediators_and_starts_mediation(mw):
    case = mw.cases["e1"]
    later = timezone.now() + datetime.timedelta(days=2)
    services.add_session(case, actor=mw.actor("secretary"), held_at=later, place="东一调解室")
    case.refresh_from_db()
    assert case.status == CaseStatus.MEDIATING
    note = Notification.objects.get(user=mw.users["volunteer"], title__startswith="调解会安排")
    assert note.url == f"/mediation/{case.pk}/"


def test_staff_who_only_received_the_case_cannot_work_it(mw):
    with pytest.raises(Http404):
        services.add_session(mw.cases["e1"], actor=mw.actor("staff"), held_at=timezone.now())


def test_the_mediator_settles_with_a_written_agreement_and_a_follow_up(mw):
    case = mw.cases["e1"]
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    agreement = services.settle(
        case, actor=mw.actor("volunteer"), kind="written", facts="漏水", terms="十日内修好", deadline=deadline
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SETTLED and case.closed_on == timezone.localdate()
    assert agreement.follow_ups.get().due_on == deadline
    with pytest.raises(ValidationError):
        services.add_session(case, actor=mw.actor("volunteer"), held_at=timezone.now())


def test_settle_refuses_empty_terms(mw):
    with pytest.raises(ValidationError) as exc:
        services.settle(mw.cases["e1"], actor=mw.actor("secretary"), kind="oral", facts="", terms="")
    assert set(exc.value.message_dict) == {"facts", "terms"}
    assert Case.objects.get(pk=mw.cases["e1"].pk).status == CaseStatus.RECEIVED


def test_a_follow_up_not_performed_reopens_the_case(mw):
    follow = mw.follow_ups["e1_settled"]
    services.record_follow_up(follow, actor=mw.actor("volunteer"), result=FollowUpResult.NOT_PERFORMED, note="没做到")
    case = Case.objects.get(pk=mw.cases["e1_settled"].pk)
    assert case.status == CaseStatus.REOPENED and case.closed_on is None
    with pytest.raises(ValidationError):
        services.record_follow_up(follow, actor=mw.actor("volunteer"), result=FollowUpResult.PERFORMED)
    # reopened: mediation again, then a new agreement
    services.settle(case, actor=mw.actor("secretary"), kind="oral", facts="再谈", terms="本周内做到")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SETTLED


def test_a_follow_up_performed_keeps_the_case_settled(mw):
    services.record_follow_up(mw.follow_ups["e1_settled"], actor=mw.actor("secretary"), result=FollowUpResult.PERFORMED)
    assert Case.objects.get(pk=mw.cases["e1_settled"].pk).status == CaseStatus.SETTLED


def test_failed_with_a_department_referral_registers_an_appeal_without_the_account(mw):
    from linli.appeals.models import Appeal

    case = services.fail(mw.cases["e1"], actor=mw.actor("secretary"), referral=Referral.DEPARTMENT, note="需要房管部门")
    appeal = Appeal.objects.get(pk=case.referral_appeal_id)
    assert case.number in appeal.text and "天花板" not in appeal.text
    assert case.status == CaseStatus.FAILED


def test_withdrawn(mw):
    case = services.withdraw(mw.cases["e1"], actor=mw.actor("volunteer"), note="已和解")
    assert case.status == CaseStatus.WITHDRAWN


def test_scan_must_be_a_pdf_or_an_image(mw):
    from django.core.files.base import ContentFile

    agreement = mw.cases["e1_settled"].agreement
    with pytest.raises(ValidationError):
        services.attach_scan(agreement, actor=mw.actor("secretary"), scan=ContentFile(b"x", name="a.exe"))


def test_reception_log_with_and_without_a_case(mw):
    e1 = mw.communities["e1"]
    heard = services.log_reception(
        actor=mw.actor("staff"), community=e1, visitor_name="钱女士", topic="心里烦", minutes=20
    )
    assert heard.case is None and heard.handling == ReceptionHandling.LISTENED
    opened = services.log_reception(
        actor=mw.actor("staff"),
        community=e1,
        visitor_name="孔先生",
        topic="楼上漏水",
        handling="case",
        case_type="leak",
    )
    assert opened.case.received_by == mw.users["staff"]
    with pytest.raises(ValidationError) as exc:
        services.log_reception(actor=mw.actor("staff"), community=e1, visitor_name="", topic="", handling="case")
    assert {"visitor_name", "topic", "case_type"} <= set(exc.value.message_dict)
    with pytest.raises(PermissionDenied):
        services.log_reception(actor=mw.actor("grid_worker_1"), community=e1, visitor_name="钱", topic="事")
    assert Reception.objects.count() == 2


def test_follow_up_reminder_tells_mediators_once(mw):
    assert services.remind_follow_ups() == (2, 1)  # e1_settled → 唐调解 (volunteer), w1's mediator has no account
    assert services.remind_follow_ups()[1] == 0
    assert Notification.objects.filter(user=mw.users["volunteer"], title="协议回访到期").count() == 1


def test_case_from_an_appeal_needs_the_mediation_unit(mw):
    from linli.appeals.defaults import install_default_directory
    from linli.appeals.models import Category, HandlingUnit
    from linli.appeals.services import create_appeal

    install_default_directory(HandlingUnit, Category)
    appeal = create_appeal(
        actor=SYSTEM,
        building=mw.buildings["b1"],
        text="楼上漏水，协商不成。",
        channel="phone",
        reporter=mw.residents["zhang"],
    )
    with pytest.raises(ValidationError):
        services.case_from_appeal(appeal, actor=mw.actor("staff"))
    appeal.unit = HandlingUnit.objects.get(code="mediation")
    appeal.save()
    case = services.case_from_appeal(appeal, actor=mw.actor("staff"))
    assert case.source == "appeal" and case.parties.get().resident == mw.residents["zhang"]
    with pytest.raises(ValidationError):
        services.case_from_appeal(appeal, actor=mw.actor("staff"))


def test_every_change_has_a_change_record(mw):
    case = mw.cases["e1"]
    services.add_session(case, actor=mw.actor("volunteer"), held_at=timezone.now(), notes="谈了")
    notes = [r.note for r in services.timeline(case)]
    assert notes[:1] == ["受理调解案件"] and "记录调解会" in notes and "开始调解" in notes
    assert ChangeRecord.objects.filter(actor=mw.users["volunteer"]).count() == 2


def test_the_mediator_corrects_the_case_and_bad_input_changes_nothing(mw):
    case = services.update_case(
        mw.cases["e1"], actor=mw.actor("volunteer"), case_type="neighbour", account="改", urgency="urgent"
    )
    assert (case.case_type, case.account, case.urgency) == ("neighbour", "改", "urgent")
    with pytest.raises(ValidationError):
        services.update_case(case, actor=mw.actor("volunteer"), case_type="x", account="", urgency="normal")
    assert Case.objects.get(pk=case.pk).account == "改"
    with pytest.raises(Http404):
        services.update_case(case, actor=mw.actor("staff"), case_type="noise", account="改", urgency="normal")


def test_a_mediator_without_appeal_rights_is_told_who_refers_to_a_department(mw):
    with pytest.raises(ValidationError) as exc:
        services.fail(mw.cases["e1"], actor=mw.actor("volunteer"), referral=Referral.DEPARTMENT)
    assert "社区工作人员" in exc.value.message_dict["referral"][0]
    assert Case.objects.get(pk=mw.cases["e1"].pk).status == CaseStatus.RECEIVED
