"""民主评议党员: opened once a year per branch, recorded by the branch secretary, counted by rating, finalised."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from linli.party import services_life
from linli.party.models import Appraisal
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def entries_of(appraisal):
    return {e.member.name: e for e in appraisal.entries.select_related("member")}


def test_the_branch_secretary_opens_the_years_appraisal_with_every_member(pw, client):
    client.force_login(pw.users["grid_worker_1"])
    response = client.post(reverse("party:appraisal_add"), {"org": pw.orgs["e1"].pk, "year": 2026})
    appraisal = Appraisal.objects.get(org=pw.orgs["e1"], year=2026)
    assert response.status_code == 302 and response["Location"] == reverse("party:appraisal_edit", args=[appraisal.pk])
    assert sorted(entries_of(appraisal)) == ["刘在职", "李四"]
    again = client.post(reverse("party:appraisal_add"), {"org": pw.orgs["e1"].pk, "year": 2026})
    assert "2026年的民主评议党员已经建立" in again.content.decode()


def test_a_branch_secretary_cannot_open_or_read_the_other_branchs_appraisal(pw, client):
    other = services_life.start_appraisal(pw.orgs["e1_b2"], actor=pw.actor("secretary"), year=2026)
    client.force_login(pw.users["grid_worker_1"])
    response = client.post(reverse("party:appraisal_add"), {"org": pw.orgs["e1_b2"].pk, "year": 2026})
    assert response.status_code == 200 and "选项无效" in response.content.decode()
    assert client.get(reverse("party:appraisal_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("party:appraisal_edit", args=[other.pk])).status_code == 404
    with pytest.raises(Http404):
        services_life.start_appraisal(pw.orgs["w1"], actor=pw.actor("grid_worker_1"), year=2026)


def test_ratings_are_counted_and_the_appraisal_finalised_only_when_everyone_is_rated(pw, client):
    appraisal = services_life.start_appraisal(pw.orgs["e1"], actor=pw.actor("grid_worker_1"), year=2026)
    e = entries_of(appraisal)
    li, liu = e["李四"], e["刘在职"]
    client.force_login(pw.users["grid_worker_1"])
    url = reverse("party:appraisal_edit", args=[appraisal.pk])
    response = client.post(
        url,
        {
            f"rating_{li.pk}": "excellent",
            f"text_{li.pk}": "认真履行党员义务。",
            f"rating_{liu.pk}": "",
            "finalise": "1",
        },
    )
    assert "还有1位党员未评定等次" in response.content.decode()
    appraisal.refresh_from_db()
    assert not appraisal.finalised
    assert services_life.rating_counts(appraisal) == {"优秀": 1, "合格": 0, "基本合格": 0, "不合格": 0, "未评定": 1}
    response = client.post(url, {f"rating_{li.pk}": "excellent", f"rating_{liu.pk}": "qualified", "finalise": "1"})
    assert response.status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.finalised and appraisal.held_on is not None
    page = client.get(reverse("party:appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "优秀 1 人" in page and "合格 1 人" in page and "已定稿" in page
    assert entries_of(appraisal)["李四"].self_assessment == "认真履行党员义务。"


def test_a_finalised_appraisal_cannot_change(pw):
    actor = pw.actor("grid_worker_1")
    appraisal = services_life.start_appraisal(pw.orgs["e1"], actor=actor, year=2026)
    values = {e.pk: ("", "qualified") for e in appraisal.entries.all()}
    services_life.save_entries(appraisal, actor=actor, entries=values)
    services_life.finalise_appraisal(appraisal, actor=actor)
    with pytest.raises(ValidationError, match="评议已定稿"):
        services_life.save_entries(appraisal, actor=actor, entries=values)


def test_odd_ratings_and_entries_are_refused_with_a_message(pw, client):
    appraisal = services_life.start_appraisal(pw.orgs["e1"], actor=pw.actor("grid_worker_1"), year=2026)
    client.force_login(pw.users["grid_worker_1"])
    url = reverse("party:appraisal_edit", args=[appraisal.pk])
    li = entries_of(appraisal)["李四"]
    assert "评议等次有误" in client.post(url, {f"rating_{li.pk}": "best"}).content.decode()
    assert "名单外的党员不能评议" in client.post(url, {"rating_²": "qualified"}).content.decode()
    assert "名单外的党员不能评议" in client.post(url, {"rating_999999": "qualified"}).content.decode()


def test_staff_see_no_appraisals(pw, client):
    client.force_login(pw.users["staff"])
    assert client.get(reverse("party:appraisal_list")).status_code == 403


def test_the_list_shows_the_users_branches_appraisals(pw, client):
    services_life.start_appraisal(pw.orgs["e1"], actor=pw.actor("secretary"), year=2026)
    services_life.start_appraisal(pw.orgs["w1"], actor=SYSTEM, year=2026)
    client.force_login(pw.users["secretary"])
    html = client.get(reverse("party:appraisal_list")).content.decode()
    assert "东一第1网格党支部" in html and "西一" not in html and "开展民主评议" in html
