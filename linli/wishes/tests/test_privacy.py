"""The public list and page show the wish and a neutral description only; the delivery details are for
staff and for the claimer, after claiming."""

import re

import pytest
from django.urls import reverse

from linli.wishes import services
from linli.wishes.models import Wish
from linli.wishes.testing import PRIVATE_ADDRESS, PRIVATE_NAME, PRIVATE_PHONE, jpeg

pytestmark = pytest.mark.django_db

SECRETS = (PRIVATE_NAME, PRIVATE_ADDRESS, "101", PRIVATE_PHONE, "1234", "上午在家")


#: CSRF tokens and CSP nonces are random letters and digits: "101" turns up in one now and then.
RANDOM_TOKEN = re.compile(r"[A-Za-z0-9_\-]{20,}")


def assert_private_absent(body: str):
    body = RANDOM_TOKEN.sub("", body)
    for secret in SECRETS:
        assert secret not in body, secret


def leaky_wish(ww):
    """A wish whose public wording names, locates and gives a phone (written past the service's guard)."""
    wish = ww.wishes["e1"]
    Wish.objects.filter(pk=wish.pk).update(
        title=f"{PRIVATE_NAME}想要一个书包", description=f"住{PRIVATE_ADDRESS}，电话{PRIVATE_PHONE}，张大爷在家等"
    )
    return wish


def test_the_public_page_needs_no_login_and_shows_no_private_detail(ww, client):
    leaky_wish(ww)
    response = client.get(reverse("wishes:wish_public", args=["e1"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "想要一个书包" in body and "东一社区" in body
    assert_private_absent(body)
    assert "张大爷" not in body
    assert "public" in response["Cache-Control"] and "csrf" not in body.lower()


def test_the_public_page_lists_only_open_wishes_of_its_community(ww, client):
    services.claim_wish(ww.wishes["e1"], actor=ww.actor("volunteer"))
    response = client.get(reverse("wishes:wish_public", args=["e1"]))
    assert response.context["rows"] == [] and response.context["claimed"] == 1
    assert client.get(reverse("wishes:wish_public", args=["nope"])).status_code == 404


def test_the_list_for_volunteers_shows_no_private_detail(ww, client):
    leaky_wish(ww)
    client.force_login(ww.users["volunteer2"])
    response = client.get(reverse("wishes:wish_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "想要一个书包" in body
    assert_private_absent(body)


def test_a_volunteer_sees_the_delivery_details_only_after_claiming(ww, client):
    wish = ww.wishes["e1"]
    client.force_login(ww.users["volunteer"])
    before = client.get(reverse("wishes:wish_detail", args=[wish.pk])).content.decode()
    assert "我来认领" in before
    assert_private_absent(before)
    client.post(reverse("wishes:wish_claim", args=[wish.pk]))
    after = client.get(reverse("wishes:wish_detail", args=[wish.pk])).content.decode()
    assert PRIVATE_NAME in after and PRIVATE_ADDRESS in after and PRIVATE_PHONE in after and "上午在家" in after


def test_another_volunteer_never_sees_the_details_of_a_wish_claimed_by_someone_else(ww, client):
    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("volunteer"))
    client.force_login(ww.users["volunteer2"])
    body = client.get(reverse("wishes:wish_detail", args=[wish.pk])).content.decode()
    assert_private_absent(body)
    assert "我来认领" not in body


def test_after_a_release_the_former_claimer_loses_the_details(ww, client):
    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("volunteer"))
    services.release_claim(wish, actor=ww.actor("volunteer"), reason="来不及")
    client.force_login(ww.users["volunteer"])
    assert_private_absent(client.get(reverse("wishes:wish_detail", args=[wish.pk])).content.decode())


def test_staff_see_the_private_part(ww, client):
    client.force_login(ww.users["staff"])
    body = client.get(reverse("wishes:wish_detail", args=[ww.wishes["e1"].pk])).content.decode()
    assert PRIVATE_NAME in body and PRIVATE_PHONE in body


def test_fulfilment_photos_are_for_staff_and_the_claimer_only(ww, client):
    from linli.attachments.services import photos_of
    from linli.wishes.models import WishClaim

    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("volunteer"))
    services.confirm_fulfilment(wish, actor=ww.actor("staff"), photos=[jpeg()])
    photo = photos_of(WishClaim.objects.get(wish=wish)).get()
    url = reverse("attachments:photo", args=[photo.pk])
    for persona, status in [("staff", 200), ("volunteer", 200), ("volunteer2", 404), ("w1_staff", 404)]:
        client.force_login(ww.users[persona])
        assert client.get(url).status_code == status, persona


def test_the_anonymiser_masks_names_phones_and_rooms(ww):
    names = ["张三"]
    text = "张三（张大爷）住3栋2单元502，电话138 1234 5678，想要一个书包"
    cleaned = services.public_text(text, names)
    for secret in ("张三", "张大爷", "502", "5678", "2单元"):
        assert secret not in cleaned
    assert "想要一个书包" in cleaned
