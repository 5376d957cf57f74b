"""A child is released only to an authorised guardian; anyone else needs the secretary's recorded override."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from linli.afterschool import services
from linli.afterschool.models import Attendance, ReleaseOverride
from linli.core.audit import actor_of
from linli.core.models import ChangeRecord
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _e1(sw):
    o = sw.school
    return o["afterschool_attendances"]["e1"], o["afterschool_enrolments"]["e1"]


def test_it_releases_a_child_to_an_authorised_guardian(sw):
    attendance, enrolment = _e1(sw)
    grandpa = enrolment.guardians.get(resident=sw.residents["wang"])
    assert grandpa.authorised and grandpa.relation == "祖父母"
    done = services.sign_out(attendance, actor=actor_of(sw.users["grid_worker_2"]), guardian=grandpa)
    assert done.collected_by == grandpa and done.signed_out_at is not None


def test_it_refuses_a_guardian_not_authorised_to_collect(sw):
    attendance, enrolment = _e1(sw)
    aunt = enrolment.guardians.get(name="王阿姨")
    services.set_guardian(aunt, actor=actor_of(sw.users["secretary"]), authorised=False)
    with pytest.raises(ValidationError, match="不是王小宝登记的可接送监护人"):
        services.sign_out(attendance, actor=actor_of(sw.users["grid_worker_2"]), guardian=aunt)
    assert Attendance.objects.get(pk=attendance.pk).signed_out_at is None


def test_it_refuses_another_childs_guardian(sw):
    attendance, _ = _e1(sw)
    other = sw.school["afterschool_enrolments"]["w1"]
    from linli.afterschool.models import Guardian

    stranger = Guardian.objects.create(enrolment=other, name="别人", phone="13900000000", relation="父亲")
    with pytest.raises(ValidationError):
        services.sign_out(attendance, actor=actor_of(sw.users["secretary"]), guardian=stranger)


def test_it_refuses_a_release_without_guardian_or_override(sw):
    attendance, _ = _e1(sw)
    with pytest.raises(ValidationError, match="需要书记特批"):
        services.sign_out(attendance, actor=actor_of(sw.users["grid_worker_2"]))


def override(approver, **extra):
    return {"name": "王舅舅", "phone": "13955556666", "relation": "舅舅", "reason": "妈妈加班，电话确认", "approved_by": approver,
            **extra}  # fmt: skip


def test_an_override_needs_an_approver_holding_afterschool_override(sw):
    attendance, _ = _e1(sw)
    staff = actor_of(sw.users["grid_worker_2"])
    for approver in (sw.users["grid_worker_2"], sw.users["staff"], sw.users["street_admin"], None):
        with pytest.raises(ValidationError, match="书记"):
            services.sign_out(attendance, actor=staff, override=override(approver))
    assert not ReleaseOverride.objects.exists()
    assert Attendance.objects.get(pk=attendance.pk).signed_out_at is None


def test_an_override_by_the_secretary_is_recorded_and_told(sw):
    attendance, _ = _e1(sw)
    secretary = sw.users["secretary"]
    done = services.sign_out(attendance, actor=actor_of(sw.users["grid_worker_2"]), override=override(secretary))
    record = ReleaseOverride.objects.get(attendance=done)
    assert (record.name, record.approved_by, record.recorded_by) == ("王舅舅", secretary, sw.users["grid_worker_2"])
    assert done.collected_by is None and done.signed_out_at is not None
    assert ChangeRecord.objects.filter(note__contains="特批").count() == 2
    assert Notification.objects.filter(user=secretary, title__contains="特批接走").exists()


def test_an_override_names_who_collected(sw):
    attendance, _ = _e1(sw)
    with pytest.raises(ValidationError, match="接走人电话"):
        services.sign_out(
            attendance, actor=actor_of(sw.users["secretary"]), override=override(sw.users["secretary"], phone="")
        )


def test_only_the_schools_staff_and_the_secretary_sign_children_out(sw):
    attendance, enrolment = _e1(sw)
    grandpa = enrolment.guardians.get(resident=sw.residents["wang"])
    with pytest.raises(PermissionDenied):
        services.sign_out(attendance, actor=actor_of(sw.users["staff"]), guardian=grandpa)
    with pytest.raises(Http404):
        services.sign_out(sw.school["afterschool_attendances"]["w1"], actor=actor_of(sw.users["grid_worker_2"]),
                          guardian=grandpa)  # fmt: skip


def test_children_not_collected_after_closing_are_listed_with_guardians_phones(sw):
    import datetime

    from django.utils import timezone

    attendance, _ = _e1(sw)
    session = attendance.session
    before = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(17, 0)))
    after = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(18, 45)))
    assert services.uncollected(session, before) == []
    rows = services.uncollected(session, after)
    assert [r.enrolment.child.name for r in rows] == ["王小宝"]
    assert [p[2] for p in rows[0].phones] == ["13600002222", "13911112222"]
