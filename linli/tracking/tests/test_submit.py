"""A resident submits an appeal from the notice-board link: text, photo, place, phone + code, tracking code."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from linli.appeals import services as appeal_services
from linli.appeals.choices import Channel, EventAction, Rating, ReplyMethod, Status
from linli.appeals.models import Appeal
from linli.attachments.services import photos_of
from linli.notifications.models import Notification
from linli.tracking import codes
from linli.tracking.models import TrackingCode
from linli.tracking.tests.conftest import last_code
from linli.tracking.tests.helpers import PHONE, enter_code, handle, open_code, send_code, start, submit

pytestmark = pytest.mark.django_db


def jpeg(name="p.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 50, 50)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_the_whole_way_from_submit_to_the_residents_rating(aw, client, outbox):
    b1 = aw.buildings["b1"]
    code = submit(client, outbox, building=b1, room="2单元502", name="陈阿姨")
    assert len(codes.clean(code)) == 8 and not set(code) & set("01IO")

    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.RESIDENT and appeal.status == Status.PENDING_DISPATCH
    assert appeal.reporter_phone == PHONE and appeal.reporter_name == "陈阿姨"
    assert appeal.building == b1 and appeal.household.room == "502" and appeal.household.entrance == 2
    # the dispatchers hear about it
    assert Notification.objects.filter(user=aw.users["secretary"], title__contains="居民自助").exists()
    # only the code's hash is stored
    assert TrackingCode.objects.get().code_hash == codes.code_hash(codes.clean(code))
    assert not TrackingCode.objects.filter(code_hash__contains=codes.clean(code)).exists()

    # staff handle it
    appeal = handle(aw, appeal)

    # the resident comes back another day with the code (a fresh browser)
    resident = Client()
    response = open_code(resident, code.lower().replace("-", " "))
    assert response.status_code == 302
    page = resident.get(response["Location"]).content.decode()
    assert "已办结" in page and "灯已经修好了" in page and "东一物业服务中心" in page
    assert "提交评价" in page

    response = resident.post(
        reverse("tracking:rate", args=[appeal.number]), {"rating": Rating.UNSATISFIED, "note": "灯又不亮了"}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.rating == Rating.UNSATISFIED and appeal.rating_note == "灯又不亮了"
    event = appeal.events.order_by("-id").first()
    assert event.action == EventAction.REPLIED and event.note == "居民自评：不满意：灯又不亮了" and event.actor is None
    assert Notification.objects.filter(user=aw.users["secretary"], title__startswith="居民不满意").exists()
    page = resident.get(reverse("tracking:status", args=[appeal.number])).content.decode()
    assert "提交评价" not in page and "您的评价：<strong>不满意</strong>" in page
    # the secretary can now reopen it, as after a staff-recorded 不满意
    appeal_services.reopen(appeal, actor=aw.actor("secretary"), note="再查一下线路")
    assert Appeal.objects.get().status == Status.PENDING_SIGN


def test_a_rating_is_given_once_and_only_after_the_reply(aw, client, outbox):
    code = submit(client, outbox, building=aw.buildings["b1"])
    appeal = Appeal.objects.get()
    rate = reverse("tracking:rate", args=[appeal.number])
    response = client.post(rate, {"rating": Rating.SATISFIED})
    assert response.status_code == 400 and "社区回复您之后才能评价" in response.content.decode()
    handle(aw, appeal, reply="")  # resolved, not yet replied
    assert "社区回复您之后才能评价" in client.post(rate, {"rating": Rating.SATISFIED}).content.decode()
    appeal_services.reply(Appeal.objects.get(), actor=aw.actor("staff"), text="修好了", method=ReplyMethod.PHONE)
    assert client.post(rate, {"rating": "excellent"}).status_code == 400
    assert client.post(rate, {"rating": Rating.SATISFIED}).status_code == 302
    response = client.post(rate, {"rating": Rating.UNSATISFIED})
    assert "已经评价过了" in response.content.decode()
    assert Appeal.objects.get().rating == Rating.SATISFIED
    assert not Notification.objects.filter(title__startswith="居民不满意").exists()
    assert code


def test_a_staff_recorded_rating_leaves_no_form(aw, client, outbox):
    submit(client, outbox, building=aw.buildings["b1"])
    appeal = Appeal.objects.get()
    handle(aw, appeal, reply="修好了", rating=Rating.BASICALLY)
    page = client.get(reverse("tracking:status", args=[appeal.number])).content.decode()
    assert "提交评价" not in page and "基本满意" in page


def test_a_photo_goes_with_the_appeal(aw, client, outbox):
    response = start(client, building=aw.buildings["b1"], photos=[jpeg()])
    assert response.status_code == 302
    send_code(client)
    enter_code(client, last_code(outbox))
    appeal = Appeal.objects.get()
    assert photos_of(appeal).count() == 1
    assert "照片1张" in client.get(reverse("tracking:status", args=[appeal.number])).content.decode()


def test_a_bad_photo_or_too_many_are_refused_at_step_one(aw, client):
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    page = start(client, building=aw.buildings["b1"], photos=[bad]).content.decode()
    assert "不是有效的图片文件" in page
    page = start(client, building=aw.buildings["b1"], photos=[jpeg(), jpeg(), jpeg(), jpeg()]).content.decode()
    assert "最多拍3张照片" in page


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "请写下您要反映的事情。"),
        ("   \n ", "请写下您要反映的事情。"),
        ("灯" * 10_000, "内容太长了（10000个字）"),
    ],
)
def test_the_text_is_checked_with_plain_messages(aw, client, text, message):
    response = start(client, text=text, building=aw.buildings["b1"])
    assert response.status_code == 400 and message in response.content.decode()


def test_emoji_and_mixed_scripts_are_fine(aw, client, outbox):
    submit(client, outbox, text="楼下垃圾桶满了🗑️😡 三天冇人收，臭死了!!", building=aw.buildings["b1"])
    assert Appeal.objects.get().text.startswith("楼下垃圾桶满了🗑️😡")


def test_a_place_is_needed_and_the_building_must_be_this_communitys(aw, client):
    page = start(client).content.decode()
    assert "请选择是哪一栋楼，或者在下面写下在哪儿" in page
    page = start(client, building=aw.buildings["b3"]).content.decode()  # 东二社区's building
    assert "请从列表里选择楼栋" in page


def test_a_free_address_is_enough(aw, client, outbox):
    submit(client, outbox, address="小区东门口")
    appeal = Appeal.objects.get()
    assert appeal.address == "小区东门口" and appeal.building is None and appeal.community == aw.communities["e1"]


def test_an_unknown_room_stays_as_text(aw, client, outbox):
    submit(client, outbox, building=aw.buildings["b1"], room="楼顶天台")
    appeal = Appeal.objects.get()
    assert appeal.household is None and appeal.address == "楼顶天台"


@pytest.mark.parametrize("phone", ["", "12345", "027-87654321", "1381234567a"])
def test_a_phone_that_cannot_take_a_text_is_refused(aw, client, outbox, phone):
    start(client, address="小区东门口")
    response = send_code(client, phone)
    assert response.status_code == 400
    page = response.content.decode()
    assert "手机号码" in page
    assert not outbox


def test_a_wrong_code_says_how_many_tries_are_left_and_five_burn_it(aw, client, outbox):
    start(client, address="小区东门口")
    send_code(client)
    good = last_code(outbox)
    wrong = "000000" if good != "000000" else "111111"
    page = enter_code(client, wrong).content.decode()
    assert "验证码不对" in page and "还可以试4次" in page
    assert "请填写短信里的6位数字验证码" in enter_code(client, "12ab").content.decode()
    for _ in range(3):
        enter_code(client, wrong)
    assert "已经失效" in enter_code(client, wrong).content.decode()
    # the right code no longer works either
    assert "已过期或已失效" in enter_code(client, good).content.decode()
    assert not Appeal.objects.exists()


def test_an_expired_code_is_refused(aw, client, outbox, monkeypatch):
    import time

    from linli.tracking import otp

    start(client, address="小区东门口")
    send_code(client)
    later = time.time() + otp.OTP_TTL + 1
    monkeypatch.setattr(otp, "time", type("T", (), {"time": staticmethod(lambda: later)}))
    page = enter_code(client, last_code(outbox)).content.decode()
    assert "验证码已过期或已失效，请重新获取" in page
    assert not Appeal.objects.exists()


def test_the_hint_names_the_unit_while_typing_and_on_the_next_steps(aw, client, outbox):
    hint = reverse("tracking:hint", args=["e1"])
    page = client.post(hint, {"text": "楼道灯坏了好几天了，晚上黑漆漆的"}).content.decode()
    assert "这类问题一般由 <strong>物业服务企业</strong> 处理" in page
    assert client.post(hint, {"text": "😀"}).content.decode().strip() == ""
    assert client.post(hint, {"text": ""}).content.decode().strip() == ""
    page = client.get(reverse("tracking:submit", args=["e1"])).content.decode()
    assert 'hx-post="/s/e1/hint/"' in page
    start(client, text="楼道灯坏了好几天了，晚上黑漆漆的", building=aw.buildings["b1"])
    assert "物业服务企业" in client.get(reverse("tracking:verify", args=["e1"])).content.decode()


def test_an_unknown_community_is_not_found(aw, client):
    assert client.get(reverse("tracking:submit", args=["nowhere"])).status_code == 404


def test_a_verified_phone_is_not_asked_again_for_a_second_appeal(aw, client, outbox):
    submit(client, outbox, address="小区东门口")
    start(client, text="小区里有人遛狗不牵绳", address="3栋楼下")
    page = client.get(reverse("tracking:verify", args=["e1"])).content.decode()
    assert "139****5678" in page and 'value="submit"' in page
    response = client.post(reverse("tracking:verify", args=["e1"]), {"action": "submit"})
    assert response.status_code == 302
    assert Appeal.objects.count() == 2 and len(outbox) == 1


def test_a_logged_in_resident_is_prefilled_and_needs_no_code(aw, login, outbox):
    client = login(aw.users["resident"])  # 陈奶奶, 1栋1单元201, 13700000001
    page = client.get(reverse("tracking:submit", args=["e1"])).content.decode()
    assert "陈奶奶" in page and "1单元201" in page
    start(client, building=aw.buildings["b1"], room="1单元201", name="陈奶奶")
    assert "137****0001" in client.get(reverse("tracking:verify", args=["e1"])).content.decode()
    client.post(reverse("tracking:verify", args=["e1"]), {"action": "submit"})
    appeal = Appeal.objects.get()
    assert appeal.reporter == aw.residents["chen"] and appeal.reporter_phone == "13700000001"
    assert not outbox


def test_a_double_tap_on_submit_makes_one_appeal(aw, client, outbox):
    submit(client, outbox, address="小区东门口")
    response = client.post(reverse("tracking:verify", args=["e1"]), {"action": "submit"})
    assert response["Location"] == reverse("tracking:done", args=["e1"])
    assert Appeal.objects.count() == 1


def test_every_post_needs_the_csrf_token(aw):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("tracking:submit", args=["e1"]), {"text": "x", "address": "y"}).status_code == 403
    assert client.post(reverse("tracking:lookup"), {"code": "ABCD2345"}).status_code == 403
    assert client.post(reverse("tracking:hint", args=["e1"]), {"text": "楼道灯"}).status_code == 403
    assert client.post(reverse("tracking:phone"), {"action": "send", "phone": PHONE}).status_code == 403


def test_pages_are_large_type_and_never_cached(aw, client):
    response = client.get(reverse("tracking:submit", args=["e1"]))
    assert 'class="large-type"' in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_hint_stops_answering_a_script_but_never_blocks_the_form(aw, client, settings):
    settings.LINLI_TRACKING_RATES = {"hint_client": [(3, 60)]}
    hint = reverse("tracking:hint", args=["e1"])
    answers = [client.post(hint, {"text": "楼道灯坏了好几天了"}).content.decode() for _ in range(5)]
    assert all("物业服务企业" in a for a in answers[:3])
    assert all(a.strip() == "" for a in answers[3:])
    assert client.get(reverse("tracking:submit", args=["e1"])).status_code == 200


def test_the_hint_follows_the_communitys_own_corrections(aw, client):
    from linli.appeals.routing.services import record_correction

    text = "小区门口人行道上的路灯晚上不亮"
    record_correction(None, "property", aw.units["urban_mgmt"], text=text, community=aw.communities["e1"])
    hint = reverse("tracking:hint", args=["e1"])
    assert aw.units["urban_mgmt"].name in client.post(hint, {"text": text}).content.decode()
