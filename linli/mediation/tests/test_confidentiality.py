"""人民调解法: who reads a case in full, who only knows it exists, who sees counts only."""

import pytest

from linli.mediation.models import Agreement, Case, FollowUp, Party, Session

pytestmark = pytest.mark.django_db


def keys(mw, user, action="view"):
    pks = set(Case.objects.restrict(user, action).values_list("pk", flat=True))
    return {k for k, c in mw.cases.items() if c.pk in pks}


def test_supervisors_read_every_case_of_their_area_and_no_other(mw):
    assert keys(mw, mw.users["secretary"]) == {"e1", "e1_ref", "e1_settled"}
    assert keys(mw, mw.users["street_admin"]) == {"e1", "e1_ref", "e1_settled"}


def test_a_mediator_account_without_area_roles_reads_only_their_cases(mw):
    assert keys(mw, mw.users["volunteer"]) == {"e1", "e1_settled"}


def test_an_inactive_mediator_record_gives_nothing(mw):
    mw.mediators["tang"].is_active = False
    mw.mediators["tang"].save()
    assert keys(mw, mw.users["volunteer"]) == set()


def test_the_referring_grid_worker_only_knows_their_case_exists(mw):
    gw1 = mw.users["grid_worker_1"]
    assert keys(mw, gw1) == set()
    assert keys(mw, gw1, "limited") == {"e1_ref"}
    assert keys(mw, mw.users["grid_worker_2"], "limited") == set()


def test_the_receiving_staff_only_knows_the_cases_they_logged_exist(mw):
    staff = mw.users["staff"]
    assert keys(mw, staff) == set()
    assert keys(mw, staff, "limited") == {"e1", "e1_settled"}


def test_others_with_mediation_view_count_but_read_nothing(mw):
    for name in ("grid_worker_2", "staff", "nobody"):
        assert keys(mw, mw.users[name]) == set()
    assert keys(mw, mw.users["grid_worker_2"], "count") == {"e1", "e1_ref", "e1_settled"}
    assert keys(mw, mw.users["nobody"], "count") == set()


@pytest.mark.parametrize("persona", ["dept_handler", "resident"])
def test_roles_without_mediation_see_no_case_at_all(mw, persona):
    for action in ("view", "limited", "count"):
        assert keys(mw, mw.users[persona], action) == set()


def test_case_parts_follow_their_case(mw):
    vol, staff = mw.users["volunteer"], mw.users["staff"]
    for model in (Party, Session, Agreement, FollowUp):
        assert not model.objects.restrict(staff).exists()
    assert Agreement.objects.restrict(vol).count() == 1
    assert FollowUp.objects.restrict(vol).get() == mw.follow_ups["e1_settled"]
    assert set(Party.objects.restrict(vol).values_list("case_id", flat=True)) == {
        mw.cases["e1"].pk,
        mw.cases["e1_settled"].pk,
    }
