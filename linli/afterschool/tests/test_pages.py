"""The pages: odd input never gives a 500; the sign-out page asks 谁来接？ and refuses a stranger; the roster export is
logged; the figures page shows counts, no names."""

import pytest
from django.urls import reverse

from linli.afterschool.models import Attendance
from linli.core.models import ExportRecord

pytestmark = pytest.mark.django_db

ODD = ["²", "9" * 30, "'<x>" + "二" * 300, ""]


def routes(sw):
    o = sw.school
    return [
        ("afterschool:school_add", []),
        ("afterschool:school_edit", [o["afterschool_schools"]["e1"].pk]),
        ("afterschool:term_add", [o["afterschool_schools"]["e1"].pk]),
        ("afterschool:enrolment_add", [o["afterschool_terms"]["e1"].pk]),
        ("afterschool:session_add", [o["afterschool_terms"]["e1"].pk]),
        ("afterschool:guardian_add", [o["afterschool_enrolments"]["e1"].pk]),
        ("afterschool:guardian_edit", [o["afterschool_guardians"]["e1"].pk]),
        ("afterschool:sign_in", [o["afterschool_sessions"]["e1"].pk]),
        ("afterschool:sign_out", [o["afterschool_attendances"]["e1"].pk]),
        ("afterschool:tutor_add", [o["afterschool_sessions"]["e1"].pk]),
        ("afterschool:tutor_hours", [o["afterschool_sessions"]["e1"].pk]),
    ]


FIELDS = ["community", "name", "room", "staff", "head_teacher", "opens_at", "closes_at", "starts_on", "ends_on",
          "capacity", "weekdays", "age_limit", "team", "first", "last", "child", "priority", "resident", "phone",
          "relation", "change", "enrolment", "guardian", "approved_by", "volunteer", "hours", "reason"]  # fmt: skip


def test_odd_values_never_give_a_server_error(sw, client):
    client.force_login(sw.users["secretary"])
    for name, args in routes(sw):
        for odd in ODD:
            response = client.post(reverse(name, args=args), {f: odd for f in FIELDS})
            assert response.status_code < 500, (name, odd)
    for name in ("afterschool:term_detail", "afterschool:roster_export"):
        response = client.get(reverse(name, args=[sw.school["afterschool_terms"]["e1"].pk]), {"status": "²", "q": "²"})
        assert response.status_code == 200


def test_the_sign_out_page_lists_authorised_guardians_and_refuses_a_stranger(sw, client):
    client.force_login(sw.users["grid_worker_2"])
    attendance = sw.school["afterschool_attendances"]["e1"]
    url = reverse("afterschool:sign_out", args=[attendance.pk])
    page = client.get(url).content.decode()
    assert "谁来接王小宝" in page and "王五（祖父母）" in page and "王阿姨（姑姑）" in page
    stranger = sw.school["afterschool_guardians"]["w1"]
    assert client.post(url, {"guardian": stranger.pk}).status_code == 400
    assert Attendance.objects.get(pk=attendance.pk).signed_out_at is None
    grandpa = attendance.enrolment.guardians.get(name="王五")
    assert client.post(url, {"guardian": grandpa.pk}).status_code == 302
    assert Attendance.objects.get(pk=attendance.pk).collected_by == grandpa


def test_the_roster_export_is_logged(sw, client):
    client.force_login(sw.users["grid_worker_2"])
    response = client.get(reverse("afterschool:roster_export", args=[sw.school["afterschool_terms"]["e1"].pk]))
    assert response.status_code == 200
    assert ExportRecord.objects.filter(user=sw.users["grid_worker_2"], kind="afterschool_roster", row_count=1).exists()


def test_the_figures_page_counts_without_names(sw, client):
    client.force_login(sw.users["street_admin"])
    page = client.get(reverse("afterschool:figures")).content.decode()
    assert "东一四点半学校" in page and "王小宝" not in page and "西一" not in page
