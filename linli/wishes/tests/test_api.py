"""The wishes API: the public list never carries the private part; the signed-in list fills it only for the
wish's staff and its claimer; claim and release go through the services (422 refusals in Chinese)."""

import datetime
import json

import pytest
from django.utils import timezone

from linli.testing import bearer
from linli.wishes import services
from linli.wishes.models import Wish, WishClaim
from linli.wishes.services import ALREADY_CLAIMED
from linli.wishes.testing import PRIVATE_NAME, new_wish
from linli.wishes.tests.test_privacy import assert_private_absent, leaky_wish

pytestmark = pytest.mark.django_db

LIST = "/api/wishes"
JSON = {"content_type": "application/json"}


def post(client, user, path, data=None):
    return client.post(path, json.dumps(data or {}), **JSON, **bearer(user))


def messages(response) -> list[str]:
    return [d["message"] for d in response.json()["detail"]]


def by_id(response) -> dict:
    assert response.status_code == 200, response.content
    return {w["id"]: w for w in response.json()["items"]}


def test_the_public_list_needs_no_login_and_never_carries_a_private_field(ww, client):
    leaky_wish(ww)
    claimed = new_wish(ww.communities["e1"], title="帮忙修门锁")
    services.claim_wish(claimed, actor=ww.actor("volunteer"))
    response = client.get(f"{LIST}/public/e1")
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    data = response.json()
    assert data["community"] == "东一社区" and data["claimed"] == 1 and data["fulfilled"] == 0
    [item] = data["items"]  # the claimed wish is not on the public list
    assert set(item) == {"title", "description", "category", "category_label", "target_date"}
    assert "想要一个书包" in item["title"]
    assert_private_absent(response.content.decode())
    assert "张大爷" not in response.content.decode()


def test_the_public_list_of_an_unknown_community_is_a_chinese_404(client):
    response = client.get(f"{LIST}/public/nowhere")
    assert response.status_code == 404 and response.json()["detail"] == "没有这个社区编码：nowhere"


def test_staff_see_the_private_part_a_volunteer_only_after_claiming(ww, client):
    wish = ww.wishes["e1"]
    staff_row = by_id(client.get(LIST, **bearer(ww.users["staff"])))[wish.pk]
    assert staff_row["private"]["beneficiary_name"] == PRIVATE_NAME
    assert staff_row["status"] == "open" and staff_row["claimer"] is None

    volunteer = ww.users["volunteer"]
    before = client.get(LIST, **bearer(volunteer))
    assert by_id(before)[wish.pk]["private"] is None
    assert_private_absent(before.content.decode())

    claimed = post(client, volunteer, f"{LIST}/{wish.pk}/claim")
    assert claimed.status_code == 200, claimed.content
    assert claimed.json()["status"] == "claimed" and claimed.json()["claimer"] == "夏党员"
    assert claimed.json()["private"]["contact_phone"] == "13812345678"
    # The other claimer of the community sees the wish, never its private part.
    other = client.get(f"{LIST}/{wish.pk}", **bearer(ww.users["volunteer2"]))
    assert other.status_code == 200 and other.json()["private"] is None

    released = post(client, volunteer, f"{LIST}/{wish.pk}/release", {"reason": "临时出差"})
    assert released.status_code == 200 and released.json()["private"] is None
    assert released.json()["status"] == "open"
    assert_private_absent(client.get(f"{LIST}/{wish.pk}", **bearer(volunteer)).content.decode())


def test_a_second_claim_on_a_claimed_wish_is_refused_in_chinese(ww, client):
    wish = ww.wishes["e1"]
    assert post(client, ww.users["volunteer"], f"{LIST}/{wish.pk}/claim").status_code == 200
    second = post(client, ww.users["volunteer2"], f"{LIST}/{wish.pk}/claim")
    assert second.status_code == 422 and messages(second) == [ALREADY_CLAIMED]
    assert WishClaim.objects.live().get(wish=wish).claimer == ww.claimers["xia"]


def test_staff_record_a_claim_for_a_registered_claimer_and_release_it(ww, client):
    wish = ww.wishes["e1"]
    staff = ww.users["staff"]
    response = post(client, staff, f"{LIST}/{wish.pk}/claim", {"claimer": ww.claimers["bank"].pk, "note": "电话认领"})
    assert response.status_code == 200 and response.json()["claimer"] == "东一银行党支部"
    assert messages(post(client, staff, f"{LIST}/{wish.pk}/release", {"reason": " "})) == ["请填写原因。"]
    assert post(client, staff, f"{LIST}/{wish.pk}/release", {"reason": "单位人员调整"}).json()["status"] == "open"
    # Another community's claimer is not one staff may name.
    other = post(client, staff, f"{LIST}/{wish.pk}/claim", {"claimer": ww.claimers["sun"].pk})
    assert other.status_code == 422 and messages(other) == ["没有这个认领人，或不在您的管辖范围内。"]
    no_one = post(client, staff, f"{LIST}/{wish.pk}/claim")
    assert no_one.status_code == 422 and messages(no_one) == ["请选择认领人。"]


def test_refusals_change_nothing(ww, client):
    wish = ww.wishes["e1"]
    volunteer = ww.users["volunteer"]
    assert messages(post(client, volunteer, f"{LIST}/{wish.pk}/release", {"reason": "x"})) == [
        "这个心愿现在没有人认领。"
    ]
    services.cancel_wish(wish, actor=ww.actor("staff"), reason="不需要了")
    refused = post(client, volunteer, f"{LIST}/{wish.pk}/claim")
    assert refused.status_code == 422 and messages(refused) == ["这个心愿已撤销，不能认领。"]
    bad = post(client, volunteer, f"{LIST}/{wish.pk}/claim", {"claimer": "x", "extra": 1})
    assert bad.status_code == 422 and set(messages(bad)) == {"请填写整数。", "不支持这个字段。"}
    assert not WishClaim.objects.filter(wish=wish).exists()


def test_the_list_filters_by_status_month_and_community(ww, client):
    e1 = ww.communities["e1"]
    old = new_wish(e1, title="帮忙修门锁")
    Wish.objects.filter(pk=old.pk).update(created_at=timezone.make_aware(datetime.datetime(2025, 3, 5, 10)))
    services.claim_wish(old, actor=ww.actor("volunteer"))
    admin = bearer(ww.users["street_admin"])
    assert set(by_id(client.get(LIST, {"status": "claimed"}, **admin))) == {old.pk}
    assert set(by_id(client.get(LIST, {"month": "2025-03"}, **admin))) == {old.pk}
    assert set(by_id(client.get(LIST, {"community": e1.pk}, **admin))) == {old.pk, ww.wishes["e1"].pk}
    bad = client.get(LIST, {"month": "2025-13"}, **admin)
    assert bad.status_code == 422 and messages(bad) == ["月份格式应为 YYYY-MM，如 2026-03。"]
    bad = client.get(LIST, {"status": "lost"}, **admin)
    assert bad.status_code == 422 and messages(bad)[0].startswith("不是有效的选项")


def test_another_communitys_staff_get_404_and_roles_without_wishes_403(ww, client):
    wish = ww.wishes["e1"]
    w1_staff = ww.users["w1_staff"]
    assert set(by_id(client.get(LIST, **bearer(w1_staff)))) == {ww.wishes["w1"].pk}
    assert client.get(f"{LIST}/{wish.pk}", **bearer(w1_staff)).status_code == 404
    response = post(client, w1_staff, f"{LIST}/{wish.pk}/claim", {"claimer": ww.claimers["sun"].pk})
    assert response.status_code == 404 and response.json()["detail"] == "找不到这个心愿，或不在您的管辖范围内。"
    assert post(client, w1_staff, f"{LIST}/{wish.pk}/release", {"reason": "x"}).status_code == 404
    for persona in ("grid_worker_1", "dept_handler", "resident"):
        user = ww.users[persona]
        assert client.get(LIST, **bearer(user)).status_code == 403, persona
        assert client.get(f"{LIST}/{wish.pk}", **bearer(user)).status_code == 403, persona
        assert post(client, user, f"{LIST}/{wish.pk}/claim").status_code == 403, persona
    assert client.get(LIST).status_code == 401
    assert not WishClaim.objects.filter(wish=wish).exists()


def test_a_volunteer_cannot_release_someone_elses_claim(ww, client):
    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("volunteer"))
    response = post(client, ww.users["volunteer2"], f"{LIST}/{wish.pk}/release", {"reason": "我来"})
    assert response.status_code == 403 and response.json()["detail"] == "只有认领人本人或社区工作人员可以取消认领。"
    assert WishClaim.objects.live().filter(wish=wish).exists()


def test_the_list_runs_a_fixed_number_of_queries(ww, client, django_assert_max_num_queries):
    for i in range(10):
        w = new_wish(ww.communities["e1"], title=f"心愿{i}")
        if i % 2:
            services.claim_wish(w, actor=ww.actor("staff"), claimer=ww.claimers["bank"])
    headers = bearer(ww.users["staff"])
    with django_assert_max_num_queries(8):
        assert len(by_id(client.get(LIST, **headers))) == 11


def test_absurd_ids_and_codes_are_422_or_404_not_500(ww, client):
    staff = ww.users["staff"]
    assert client.get(f"{LIST}/{2**70}", **bearer(staff)).status_code == 422
    assert post(client, staff, f"{LIST}/0/claim").status_code == 422
    assert post(client, staff, f"{LIST}/{ww.wishes['e1'].pk}/claim", {"claimer": 2**70}).status_code == 422
    assert client.get(f"{LIST}/public/{'x' * 300}").status_code == 404
    assert client.get(LIST, {"community": 2**70}, **bearer(staff)).status_code == 422
