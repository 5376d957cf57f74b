"""Every way a claim, a release, a confirmation or a change is refused, with the message people read."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from linli.wishes import services
from linli.wishes.choices import WishStatus
from linli.wishes.models import Claimer, WishClaim, WishEvent
from linli.wishes.testing import jpeg, new_wish

pytestmark = pytest.mark.django_db


def claimed(ww, key="e1", by="volunteer"):
    wish = ww.wishes[key]
    services.claim_wish(wish, actor=ww.actor(by))
    wish.refresh_from_db()
    return wish


def messages_of(exc) -> str:
    return " ".join(exc.value.messages)


def test_a_second_claim_is_refused_with_a_clear_message(ww):
    wish = claimed(ww)
    with pytest.raises(ValidationError) as exc:
        services.claim_wish(wish, actor=ww.actor("volunteer2"))
    assert "已被其他人认领" in messages_of(exc)
    assert WishClaim.objects.filter(wish=wish).count() == 1


def test_the_database_refuses_a_second_live_claim_whatever_wrote_it(ww):
    from django.db import IntegrityError, transaction

    wish = claimed(ww)
    with pytest.raises(IntegrityError), transaction.atomic():
        WishClaim.objects.create(wish=wish, claimer=ww.claimers["qian"], claimed_at=wish.claimed_at)


def test_a_stranger_cannot_release_someone_elses_claim(ww):
    wish = claimed(ww)
    with pytest.raises(PermissionDenied, match="认领人本人或社区工作人员"):
        services.release_claim(wish, actor=ww.actor("volunteer2"), reason="我想认领")
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED


def test_staff_of_another_community_cannot_release_or_confirm(ww):
    wish = claimed(ww)
    with pytest.raises(Http404):
        services.release_claim(wish, actor=ww.actor("w1_staff"), reason="x")
    with pytest.raises(Http404):
        services.confirm_fulfilment(wish, actor=ww.actor("w1_staff"), photos=[jpeg()])


def test_a_release_needs_a_reason(ww):
    wish = claimed(ww)
    with pytest.raises(ValidationError) as exc:
        services.release_claim(wish, actor=ww.actor("volunteer"), reason="  ")
    assert exc.value.message_dict == {"reason": ["请填写原因。"]}


def test_releasing_an_unclaimed_wish_is_refused(ww):
    with pytest.raises(ValidationError, match="没有人认领"):
        services.release_claim(ww.wishes["e1"], actor=ww.actor("staff"), reason="x")


def test_confirming_without_a_photo_is_refused(ww):
    wish = claimed(ww)
    with pytest.raises(ValidationError) as exc:
        services.confirm_fulfilment(wish, actor=ww.actor("staff"), photos=[])
    assert exc.value.message_dict == {"photos": ["确认实现需要上传至少一张照片。"]}
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED


def test_confirming_with_a_file_that_is_not_a_photo_is_refused(ww, tmp_path):
    import io

    wish = claimed(ww)
    bad = io.BytesIO(b"not an image")
    bad.name = "x.jpg"
    with pytest.raises(ValidationError, match="不是有效的图片"):
        services.confirm_fulfilment(wish, actor=ww.actor("staff"), photos=[bad])


def test_confirming_an_unclaimed_wish_is_refused(ww):
    with pytest.raises(ValidationError, match="没有人认领"):
        services.confirm_fulfilment(ww.wishes["e1"], actor=ww.actor("staff"), photos=[jpeg()])


def test_the_claimer_cannot_confirm_their_own_wish(ww):
    wish = claimed(ww)
    with pytest.raises(PermissionDenied):
        services.confirm_fulfilment(wish, actor=ww.actor("volunteer"), photos=[jpeg()])


def test_thanks_before_fulfilment_are_refused(ww):
    wish = claimed(ww)
    with pytest.raises(ValidationError, match="实现之后"):
        services.record_thanks(wish, actor=ww.actor("staff"), text="谢谢")


def test_a_volunteer_not_registered_as_claimer_cannot_claim(ww):
    Claimer.objects.filter(user=ww.users["volunteer2"]).update(user=None)
    ww.users["volunteer2"].assignments.create(community=ww.communities["e1"])
    with pytest.raises(ValidationError, match="还没有登记为东一社区的心愿认领人"):
        services.claim_wish(ww.wishes["e1"], actor=ww.actor("volunteer2"))


def test_a_volunteer_cannot_claim_in_a_community_they_do_not_serve(ww):
    with pytest.raises(Http404):
        services.claim_wish(ww.wishes["w1"], actor=ww.actor("volunteer2"))


def test_a_claimer_of_another_community_is_refused(ww):
    with pytest.raises(ValidationError, match="只能认领本社区的心愿"):
        services.claim_wish(ww.wishes["e1"], actor=ww.actor("staff"), claimer=ww.claimers["sun"])


def test_an_inactive_claimer_is_refused(ww):
    Claimer.objects.filter(pk=ww.claimers["bank"].pk).update(is_active=False)
    ww.claimers["bank"].refresh_from_db()
    with pytest.raises(ValidationError, match="已停用"):
        services.claim_wish(ww.wishes["e1"], actor=ww.actor("staff"), claimer=ww.claimers["bank"])


def test_a_volunteer_cannot_claim_in_someone_elses_name(ww):
    with pytest.raises(PermissionDenied):
        services.claim_wish(ww.wishes["e1"], actor=ww.actor("volunteer"), claimer=ww.claimers["qian"])


def test_roles_without_wishes_cannot_claim(ww):
    with pytest.raises(PermissionDenied):
        services.claim_wish(ww.wishes["e1"], actor=ww.actor("grid_worker_1"), claimer=ww.claimers["xia"])


def test_withdrawn_and_fulfilled_wishes_cannot_be_claimed_or_edited(ww):
    wish = ww.wishes["e1"]
    services.cancel_wish(wish, actor=ww.actor("staff"), reason="不再需要")
    with pytest.raises(ValidationError, match="已撤销"):
        services.claim_wish(wish, actor=ww.actor("volunteer"))
    with pytest.raises(ValidationError, match="不能再修改"):
        services.update_wish(wish, actor=ww.actor("staff"), title="新标题")
    with pytest.raises(ValidationError, match="不能再修改"):
        services.cancel_wish(wish, actor=ww.actor("staff"), reason="再撤一次")


def test_a_withdrawal_needs_a_reason(ww):
    with pytest.raises(ValidationError):
        services.cancel_wish(ww.wishes["e1"], actor=ww.actor("staff"), reason="")


def test_volunteers_cannot_record_or_edit_wishes(ww):
    with pytest.raises(PermissionDenied):
        new_wish(ww.communities["e1"], actor=ww.actor("volunteer"))
    with pytest.raises(PermissionDenied):
        services.update_wish(ww.wishes["e1"], actor=ww.actor("volunteer"), title="改一下")


@pytest.mark.parametrize(
    "field, text",
    [
        ("title", "张三想要一个书包"),
        ("title", "张奶奶想要一个书包"),
        ("description", "住在1栋1单元101室的老人需要修门锁"),
        ("description", "请联系13812345678"),
        ("description", "3-2-502的老人需要帮忙"),
    ],
)
def test_public_wording_with_a_name_phone_or_room_is_refused(ww, field, text):
    with pytest.raises(ValidationError) as exc:
        new_wish(ww.communities["e1"], **{field: text})
    assert "不能出现姓名、电话或门牌号" in exc.value.message_dict[field][0]


def test_neutral_public_wording_passes_the_guard(ww):
    wish = new_wish(ww.communities["e1"], title="2个书包和10本练习册", description="一位留守儿童希望9月开学前有新书包")
    assert wish.pk


def test_a_refused_action_on_the_page_shows_the_message_and_changes_nothing(ww, client):
    wish = claimed(ww)
    client.force_login(ww.users["volunteer2"])
    response = client.post(f"/wishes/{wish.pk}/claim/", follow=True)
    assert "已被其他人认领" in response.content.decode()
    client.force_login(ww.users["staff"])
    response = client.post(f"/wishes/{wish.pk}/fulfil/", {"note": "没拍照"}, follow=True)
    assert "至少一张照片" in response.content.decode()
    assert WishEvent.objects.filter(wish=wish).count() == 2  # created, claimed


def test_staff_must_say_whom_a_claim_is_for(ww, client):
    with pytest.raises(ValidationError, match="请选择认领人"):
        services.claim_wish(ww.wishes["e1"], actor=ww.actor("staff"))
    client.force_login(ww.users["staff"])
    response = client.post(f"/wishes/{ww.wishes['e1'].pk}/claim/", follow=True)
    assert "请选择认领人" in response.content.decode()


def test_a_volunteer_without_a_claimer_entry_is_told_how_to_become_one(ww, client):
    client.force_login(ww.users["volunteer"])
    Claimer.objects.filter(user=ww.users["volunteer"]).update(user=None)
    body = client.get(f"/wishes/{ww.wishes['e1'].pk}/").content.decode()
    assert "我来认领" not in body and "请联系社区工作人员登记" in body
