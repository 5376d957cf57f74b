"""Who is told what when a claim changes hands, and that no message carries the wisher's private details."""

import pytest
from django.core.exceptions import ValidationError

from linli.notifications.models import Notification
from linli.wishes import services
from linli.wishes.models import Wish
from linli.wishes.testing import jpeg, new_wish
from linli.wishes.tests.test_privacy import assert_private_absent

pytestmark = pytest.mark.django_db


def inbox(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user).order_by("id"))


def text_of(messages) -> str:
    return "\n".join(f"{m.title}\n{m.body}\n{m.url}" for m in messages)


def test_staff_releasing_a_claim_tell_the_claimer_the_reason_without_the_private_part(ww):
    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("volunteer"))
    assert inbox(ww.users["volunteer"]) == []  # claiming yourself needs no message
    # The reason names the wisher: the released claimer no longer sees the private part, so neither may the inbox.
    services.release_claim(wish, actor=ww.actor("staff"), reason="张三已经搬走了，联系不上认领人。")
    [message] = inbox(ww.users["volunteer"])
    assert message.title == "心愿认领已取消：一个新书包"
    assert "已经搬走了，联系不上认领人。" in message.body and "。。" not in message.body
    assert_private_absent(text_of([message]))
    assert message.url == "/wishes/"
    assert inbox(ww.users["staff"]) == [] and inbox(ww.users["secretary"]) == []


def test_a_claimer_releasing_their_own_claim_tells_the_communitys_wish_managers(ww):
    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("volunteer"))
    services.release_claim(wish, actor=ww.actor("volunteer"), reason="临时出差")
    for manager in ("secretary", "staff"):
        [message] = inbox(ww.users[manager])
        assert message.title == "认领人取消了认领：一个新书包"
        assert "夏党员取消了认领，原因：临时出差。" in message.body
        assert message.url == f"/wishes/{wish.pk}/"
    # Not the claimer, not the street office, not another community's staff, not unassigned staff.
    for other in ("volunteer", "street_admin", "w1_staff", "nobody"):
        assert inbox(ww.users[other]) == [], other


def test_a_claim_staff_record_for_a_claimer_with_an_account_tells_that_account(ww):
    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("staff"), claimer=ww.claimers["qian"])
    [message] = inbox(ww.users["volunteer2"])
    assert message.title == "社区为您登记了认领：一个新书包" and message.url == f"/wishes/{wish.pk}/"
    assert_private_absent(text_of([message]))
    services.release_claim(wish, actor=ww.actor("staff"), reason="登记错了")
    services.claim_wish(wish, actor=ww.actor("staff"), claimer=ww.claimers["bank"])  # no account: nobody to tell
    assert len(inbox(ww.users["volunteer2"])) == 2


def test_confirmed_fulfilment_and_the_wishers_thanks_reach_the_claimer(ww):
    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("volunteer"))
    services.confirm_fulfilment(wish, actor=ww.actor("staff"), photos=[jpeg()], note="已送到")
    [done] = inbox(ww.users["volunteer"])
    assert done.title == "心愿已实现：一个新书包" and "谢谢您的帮助" in done.body
    services.record_thanks(wish, actor=ww.actor("staff"), text="谢谢党员同志，孩子很喜欢")
    thanks = inbox(ww.users["volunteer"])[-1]
    assert thanks.title == "心愿人向您道谢：一个新书包" and thanks.body == "谢谢党员同志，孩子很喜欢"
    assert inbox(ww.users["staff"]) == []


def test_withdrawing_a_claimed_wish_tells_the_claimer(ww):
    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("volunteer"))
    services.cancel_wish(wish, actor=ww.actor("secretary"), reason="老人已搬去子女家")
    [message] = inbox(ww.users["volunteer"])
    assert "心愿已撤销，老人已搬去子女家。" in message.body


def test_publishing_a_wish_tells_nobody(ww):
    new_wish(ww.communities["e1"], actor=ww.actor("staff"), title="帮忙换灯泡")
    assert not Notification.objects.exists()


def test_a_title_forced_to_hold_a_name_is_anonymised_in_the_message(ww):
    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("volunteer"))
    Wish.objects.filter(pk=wish.pk).update(title="张三想要一个书包，电话13812345678")
    wish.refresh_from_db()
    services.release_claim(wish, actor=ww.actor("staff"), reason="重新安排")
    [message] = inbox(ww.users["volunteer"])
    assert "想要一个书包" in message.title
    assert_private_absent(text_of([message]))


def test_a_refused_release_sends_nothing(ww):
    wish = ww.wishes["e1"]
    services.claim_wish(wish, actor=ww.actor("volunteer"))
    with pytest.raises(ValidationError):
        services.release_claim(wish, actor=ww.actor("staff"), reason="  ")
    assert not Notification.objects.exists()
