"""家人帮忙: a family member helps an elderly parent once the parent agreed (recorded who, when, how); either side
ends it; without an agreed link nothing of the parent is visible, and after it ends nothing again."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from linli.core.audit import actor_of, history_of
from linli.notices.testing_confirm import sent_notice
from linli.residents import services_family
from linli.residents.models import FamilyLink
from linli.testing import make_user
from linli.tracking.services import submit_appeal

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(world):
    """李四 (the helper, his own resident account) and 陈奶奶 (the elder, account `resident`); a notice and an
    appeal of hers."""
    helper = make_user("lisi", "resident", resident=world.residents["li"])
    sent_notice(
        world.communities["e1"], title="陈奶奶家停水", must_confirm=False, building_ids=(world.buildings["b1"].pk,)
    )
    chen = world.residents["chen"]
    submit_appeal(community=world.communities["e1"], text="陈奶奶家门锁坏了", phone=chen.phone, resident=chen)
    return {"helper": helper, "elder_user": world.users["resident"], "elder": chen, "world": world}


def ask(client, name="陈奶奶", phone="13700000001"):
    return client.post(
        reverse("residents:family"), {"action": "ask", "name": name, "phone": phone, "relation": "child"}
    )


def test_the_helper_sees_nothing_until_the_elder_agrees_then_her_notices_and_appeals(family, login):
    helper_client = login(family["helper"])
    assert ask(helper_client).status_code == 302
    link = FamilyLink.objects.get()
    assert link.status == "asked"
    assert helper_client.get(reverse("residents:family_view", args=[link.pk])).status_code == 404

    elder_client = login(family["elder_user"])
    page = elder_client.get(reverse("residents:family")).content.decode()
    assert "同意李四帮我查看" in page
    elder_client.post(reverse("residents:family"), {"action": "agree", "link": link.pk})
    link.refresh_from_db()
    assert (link.status, link.agreed_by, link.consent) == ("agreed", family["elder_user"], "own_account")
    assert link.agreed_at is not None

    body = login(family["helper"]).get(reverse("residents:family_view", args=[link.pk])).content.decode()
    assert "陈奶奶家停水" in body and "陈奶奶家门锁坏了" in body
    assert "<form" not in body.split("<main", 1)[1]  # read-only


def test_either_side_ends_it_and_then_nothing_is_visible(family, login):
    link = services_family.ask(
        family["world"].residents["li"], family["elder"], relation="child", actor=actor_of(family["helper"])
    )
    services_family.agree(link, actor=actor_of(family["elder_user"]))
    login(family["helper"]).post(reverse("residents:family"), {"action": "end", "link": link.pk})
    link.refresh_from_db()
    assert link.status == "revoked" and link.ended_by == family["helper"]
    assert login(family["helper"]).get(reverse("residents:family_view", args=[link.pk])).status_code == 404
    notes = [r.note for r in history_of(link).order_by("id")]
    assert notes == ["申请家人帮忙", "老人本人同意", "帮忙的家人解除"]


def test_only_the_elder_can_agree_and_nobody_else_sees_the_link(family, login):
    link = services_family.ask(
        family["world"].residents["li"], family["elder"], relation="child", actor=actor_of(family["helper"])
    )
    with pytest.raises(PermissionDenied):
        services_family.agree(link, actor=actor_of(family["helper"]))
    stranger = make_user("wangwu", "resident", resident=family["world"].residents["wang"])
    client = login(stranger)
    assert client.post(reverse("residents:family"), {"action": "agree", "link": link.pk}).status_code == 404
    assert client.get(reverse("residents:family_view", args=[link.pk])).status_code == 404


def test_staff_record_an_in_person_agreement_with_themselves_as_witness(family):
    staff = family["world"].users["staff"]
    link = services_family.record_in_person(
        family["world"].residents["li"], family["elder"], relation="child", actor=actor_of(staff), witness_present=True
    )
    assert (link.status, link.consent, link.witness, link.agreed_by) == ("agreed", "in_person", staff, staff)
    with pytest.raises(ValidationError):
        services_family.record_in_person(
            family["world"].residents["zhang"],
            family["elder"],
            relation="child",
            actor=actor_of(staff),
            witness_present=False,
        )
    other_street = make_user("west_staff", "staff", family["world"].communities["w1"])
    from django.http import Http404

    with pytest.raises(Http404):
        services_family.record_in_person(
            family["world"].residents["zhang"],
            family["elder"],
            relation="child",
            actor=actor_of(other_street),
            witness_present=True,
        )


def test_a_wrong_name_or_phone_finds_nobody_and_says_so(family, login):
    response = ask(login(family["helper"]), phone="13700000009")
    assert response.status_code == 400 and "没有找到这位居民" in response.content.decode()
    assert not FamilyLink.objects.exists()
    response = ask(login(family["helper"]), name="李四", phone="13987654321")  # himself
    assert "不能为自己申请" in response.content.decode()


def test_a_second_live_request_for_the_same_elder_is_refused(family, login):
    client = login(family["helper"])
    ask(client)
    response = ask(client)
    assert response.status_code == 400 and "已经有一条帮忙关系" in response.content.decode()


def test_staff_record_an_in_person_agreement_on_the_elders_page(family, login):
    client = login(family["world"].users["staff"])
    url = reverse("residents:family_record", args=[family["elder"].pk])
    data = {"name": "李四", "phone": "13987654321", "relation": "child"}
    client.post(url, data)  # without the witness box: refused
    assert not FamilyLink.objects.exists()
    client.post(url, {**data, "witness_present": "on"})
    link = FamilyLink.objects.get()
    assert (link.status, link.witness) == ("agreed", family["world"].users["staff"])
    page = client.get(reverse("residents:resident_detail", args=[family["elder"].pk])).content.decode()
    assert "李四（子女）" in page and "见证人" in page
    client.post(url, {"action": "end", "link": link.pk})
    link.refresh_from_db()
    assert link.status == "revoked" and history_of(link).order_by("id").last().note == "工作人员解除"
