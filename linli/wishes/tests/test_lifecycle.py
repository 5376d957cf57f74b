"""A wish from 待认领 to 已实现 and back: claim, release, confirm with a photo, thanks, withdrawal."""

import pytest

from linli.attachments.services import photos_of
from linli.wishes import services
from linli.wishes.choices import WishEventAction, WishStatus
from linli.wishes.models import Wish, WishClaim
from linli.wishes.testing import jpeg, new_wish

pytestmark = pytest.mark.django_db


def test_a_wish_is_claimed_fulfilled_with_a_photo_and_thanked(ww):
    wish = ww.wishes["e1"]
    assert wish.status == WishStatus.OPEN and wish.street == ww.streets["east"]
    claim = services.claim_wish(wish, actor=ww.actor("volunteer"))
    assert claim.claimer == ww.claimers["xia"]
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED and wish.claimed_at is not None

    services.confirm_fulfilment(wish, actor=ww.actor("staff"), photos=[jpeg()], note="书包已送到")
    wish.refresh_from_db()
    assert wish.status == WishStatus.FULFILLED and wish.fulfilment_note == "书包已送到"
    claim.refresh_from_db()
    assert claim.fulfilled and claim.is_live
    assert photos_of(claim).count() == 1

    services.record_thanks(wish, actor=ww.actor("staff"), text="谢谢党员同志，孩子很喜欢")
    wish.refresh_from_db()
    assert wish.thanks == "谢谢党员同志，孩子很喜欢" and wish.thanks_at is not None
    actions = list(wish.events.values_list("action", flat=True))
    assert actions == [
        WishEventAction.CREATED,
        WishEventAction.CLAIMED,
        WishEventAction.FULFILLED,
        WishEventAction.THANKED,
    ]
    claimed = wish.events.get(action=WishEventAction.CLAIMED)
    assert claimed.actor == ww.users["volunteer"] and claimed.claimer == ww.claimers["xia"]


def test_a_released_claim_puts_the_wish_back_on_the_list_for_the_next_claimer(ww):
    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("volunteer"))
    services.release_claim(wish, actor=ww.actor("volunteer"), reason="临时出差，来不及送")
    wish.refresh_from_db()
    assert wish.status == WishStatus.OPEN and wish.claimed_at is None
    assert Wish.objects.public().filter(pk=wish.pk).exists()
    old = WishClaim.objects.get(wish=wish)
    assert old.release_reason == "临时出差，来不及送" and old.released_by == ww.users["volunteer"]
    services.claim_wish(wish, actor=ww.actor("volunteer2"))
    assert WishClaim.objects.live().get(wish=wish).claimer == ww.claimers["qian"]
    released = wish.events.get(action=WishEventAction.RELEASED)
    assert released.note == "临时出差，来不及送"


def test_staff_release_a_claim_with_a_reason(ww):
    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("volunteer"))
    services.release_claim(wish, actor=ww.actor("staff"), reason="认领人联系不上")
    wish.refresh_from_db()
    assert wish.status == WishStatus.OPEN


def test_staff_record_a_claim_for_an_organisation_without_an_account(ww):
    wish = ww.wishes["e1"]
    claim = services.claim_wish(wish, actor=ww.actor("staff"), claimer=ww.claimers["bank"], note="电话认领")
    assert claim.claimer == ww.claimers["bank"] and claim.claimed_by == ww.users["staff"]


def test_withdrawing_a_claimed_wish_releases_its_claim(ww):
    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("volunteer"))
    services.cancel_wish(wish, actor=ww.actor("secretary"), reason="老人已搬去子女家")
    wish.refresh_from_db()
    assert wish.status == WishStatus.CANCELLED and wish.cancel_reason == "老人已搬去子女家"
    assert not WishClaim.objects.live().filter(wish=wish).exists()
    assert not Wish.objects.public().filter(pk=wish.pk).exists()


def test_the_wish_form_and_buttons_work_end_to_end(ww, client):
    e1 = ww.communities["e1"]
    client.force_login(ww.users["staff"])
    response = client.post(
        "/wishes/new/",
        {
            "community": e1.pk,
            "title": "帮忙换个灯泡",
            "description": "一位行动不便的居民希望有人帮忙换厨房灯泡",
            "category": "repair",
            "beneficiary_name": "李四",
            "address": "1栋2单元502",
            "contact_phone": "139 8765 4321",
            "delivery_notes": "",
        },
    )
    wish = Wish.objects.get(title="帮忙换个灯泡")
    assert response.status_code == 302 and response["Location"] == f"/wishes/{wish.pk}/"
    assert wish.contact_phone == "13987654321"

    client.force_login(ww.users["volunteer"])
    response = client.post(f"/wishes/{wish.pk}/claim/", follow=True)
    assert "认领成功" in response.content.decode()
    assert "1栋2单元502" in response.content.decode()

    client.force_login(ww.users["staff"])
    response = client.post(f"/wishes/{wish.pk}/fulfil/", {"photos": [jpeg()], "note": "已换好"}, follow=True)
    assert "已确认心愿实现" in response.content.decode()
    response = client.post(f"/wishes/{wish.pk}/thanks/", {"text": "太感谢了"}, follow=True)
    wish.refresh_from_db()
    assert wish.status == WishStatus.FULFILLED and wish.thanks == "太感谢了"
    photo = photos_of(WishClaim.objects.get(wish=wish)).get()
    assert client.get(f"/attachments/photos/{photo.pk}/").status_code == 200


def test_editing_a_wish_keeps_its_events(ww):
    wish = services.update_wish(ww.wishes["e1"], actor=ww.actor("staff"), title="一个新书包和文具")
    assert wish.title == "一个新书包和文具"
    assert wish.events.filter(action=WishEventAction.EDITED).count() == 1


def test_a_new_wish_counts_in_the_community_list(ww):
    new_wish(ww.communities["e1"], title="陪老人聊聊天", category="visit", description="")
    assert Wish.objects.public().filter(community=ww.communities["e1"]).count() == 2
