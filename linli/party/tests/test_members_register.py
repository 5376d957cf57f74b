"""扫码报到: the public form an in-service member fills from the community's QR poster, and the community's review."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from linli.core.models import ChangeRecord
from linli.party.choices import MemberSource, MemberStatus, Review
from linli.party.models import PartyMember

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def form(**overrides):
    data = {
        "name": "吴报到",
        "phone": "13955556666",
        "work_unit_name": "区卫健委",
        "skills": "医护",
        "availability": "周末",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def register(client, data, code="e1"):
    return client.post(reverse("party:register", args=[code]), data)


def test_the_form_opens_without_login_and_offers_the_communitys_units(client, pw):
    response = client.get(reverse("party:register", args=["e1"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "东一税务所" in text and "西一物业" not in text and "个人信息处理告知" in text


def test_a_registration_waits_for_the_community(client, pw):
    response = register(client, form(work_unit=pw.units["e1"].pk, work_unit_name=""))
    assert response.status_code == 200 and "已收到您的报到信息" in response.content.decode()
    member = PartyMember.objects.get(phone="13955556666")
    assert (member.community, member.source, member.review, member.status, member.work_unit) == (
        pw.communities["e1"],
        MemberSource.SELF,
        Review.PENDING,
        MemberStatus.IN_SERVICE,
        pw.units["e1"],
    )
    assert ChangeRecord.objects.filter(object_id=member.pk, action="create").exists()


def test_without_consent_nothing_is_recorded(client, pw):
    response = register(client, form(consent=None))
    assert response.status_code == 400
    assert "请阅读个人信息处理告知并勾选同意" in response.content.decode()
    assert not PartyMember.objects.filter(phone="13955556666").exists()


def test_a_bad_phone_is_a_clear_message(client, pw):
    response = register(client, form(phone="12345"))
    assert response.status_code == 400 and "请填写11位手机号" in response.content.decode()


def test_the_honeypot_answers_as_usual_and_records_nothing(client, pw):
    response = register(client, form(website="http://spam.example"))
    assert response.status_code == 200 and "已收到您的报到信息" in response.content.decode()
    assert not PartyMember.objects.filter(phone="13955556666").exists()


def test_a_phone_on_the_roster_gets_the_same_answer_and_adds_nothing(client, pw):
    first = register(client, form(phone="13911112233"))  # 刘在职's phone
    assert first.status_code == 200 and "已收到您的报到信息" in first.content.decode()
    assert PartyMember.objects.filter(phone="13911112233").count() == 1
    register(client, form())
    again = register(client, form())
    assert again.content.decode() == first.content.decode().replace("13911112233", "13955556666")
    assert PartyMember.objects.filter(phone="13955556666").count() == 1


def test_a_residents_phone_counts_as_on_the_roster(client, pw):
    register(client, form(name="李四", phone="13987654321"))
    assert not PartyMember.objects.filter(phone="13987654321").exists()


def test_an_unknown_community_code_is_404(client, pw):
    assert client.get(reverse("party:register", args=["nowhere"])).status_code == 404
    assert register(client, form(), code="nowhere").status_code == 404


def test_a_unit_of_another_community_is_refused(client, pw):
    response = register(client, form(work_unit=pw.units["w1"].pk))
    assert response.status_code == 400
    assert not PartyMember.objects.filter(phone="13955556666").exists()


def test_one_client_is_rate_limited(client, pw, settings):
    settings.LINLI_PARTY_REGISTER_RATES = {"client": [[3, 3600]]}
    for i in range(3):
        assert register(client, form(phone=f"1395555000{i}")).status_code == 200
    response = register(client, form(phone="13955550009"))
    assert response.status_code == 429 and "提交太频繁" in response.content.decode()
    assert not PartyMember.objects.filter(phone="13955550009").exists()


def test_one_phone_is_rate_limited(client, pw, settings):
    settings.LINLI_PARTY_REGISTER_RATES = {"phone": [[2, 86400]]}
    register(client, form())
    register(client, form())
    assert register(client, form()).status_code == 429


def test_confirming_puts_the_member_in_a_branch_with_a_change_record(client, pw):
    member = pw.members["e1_pending"]
    client.force_login(pw.users["secretary"])
    response = client.post(
        reverse("party:member_review", args=[member.pk]), {"decision": "confirm", "branch": pw.orgs["e1"].pk}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.review, member.branch, member.reviewed_by) == (
        Review.CONFIRMED,
        pw.orgs["e1"],
        pw.users["secretary"],
    )
    assert ChangeRecord.objects.filter(object_id=member.pk, note="确认报到").exists()


def test_confirming_needs_a_branch_of_the_community(client, pw):
    member = pw.members["e1_pending"]
    client.force_login(pw.users["secretary"])
    client.post(reverse("party:member_review", args=[member.pk]), {"decision": "confirm", "branch": pw.orgs["w1"].pk})
    client.post(reverse("party:member_review", args=[member.pk]), {"decision": "confirm"})
    member.refresh_from_db()
    assert member.review == Review.PENDING


def test_rejecting_needs_a_reason_and_keeps_the_row(client, pw):
    member = pw.members["e1_pending"]
    client.force_login(pw.users["secretary"])
    client.post(reverse("party:member_review", args=[member.pk]), {"decision": "reject"})
    member.refresh_from_db()
    assert member.review == Review.PENDING
    client.post(reverse("party:member_review", args=[member.pk]), {"decision": "reject", "note": "非党员"})
    member.refresh_from_db()
    assert (member.review, member.review_note) == (Review.REJECTED, "非党员")
    assert ChangeRecord.objects.filter(object_id=member.pk, note="报到未通过").exists()


def test_a_branch_secretary_cannot_review(client, pw):
    client.force_login(pw.users["grid_worker_1"])
    url = reverse("party:member_review", args=[pw.members["e1_pending"].pk])
    assert client.post(url, {"decision": "confirm", "branch": pw.orgs["e1"].pk}).status_code == 403


def test_the_poster_carries_the_qr_code_of_the_form(client, pw):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:register_poster", args=[pw.communities["e1"].pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "<svg" in text and "/party/register/e1/" in text
    assert client.get(reverse("party:register_poster", args=[pw.communities["w1"].pk])).status_code == 404
