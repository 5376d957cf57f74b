"""Duplicates (issue 6 §2): similar open appeals nearby, most similar first, and merging them (附议).

World: 东一社区 has b1 (grid 1) and b2 (grid 2), both in the compound 青和居 here; b5 is a second building of
grid 1 outside the compound; b3 is in 东二社区. grid_worker_1 works grid 1 only.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from linli.appeals import duplicates, services
from linli.appeals.choices import EventAction, Outcome, Rating, ReplyMethod, Status
from linli.appeals.duplicates import THRESHOLD, similar_appeals, similar_to, similarity
from linli.appeals.models import Appeal, AppealEvent
from linli.appeals.tests.conftest import new_appeal
from linli.notifications.models import Notification
from linli.testing import make_building

pytestmark = pytest.mark.django_db

LIGHT = "3单元楼道灯坏了一个星期，晚上老人上下楼看不见。"
LIGHT_AGAIN = "三单元的楼道灯不亮了，黑灯瞎火的，老人家下楼怕摔"
LIGHT_TRADITIONAL = "3單元樓道燈壞了一個星期，晚上老人上下樓看不見。"
LEAK = "楼上漏水，我家卫生间天花板一直滴水"

# The same matter in other words / different matters of one building (the figures in duplicates.py).
SAME = [
    (LIGHT, LIGHT_AGAIN),
    ("小区东门的路灯坏了好几天了", "东门那边路灯不亮，晚上出门很黑"),
    (LEAK, "502卫生间漏水到我家402了，天花板在滴水"),
    ("电梯又停了，困人了，快来人", "2栋电梯坏了，停在三楼不动"),
    ("楼下饭店油烟太大，窗户都不敢开", "一楼餐馆的油烟直接排到楼上，熏得受不了"),
    ("小区里有人遛狗不牵绳，吓到小孩", "遛狗不拴绳，孩子被狗追着跑"),
    ("垃圾桶满了好几天没人清运，臭死了", "垃圾没人清运，桶都满出来了，很臭"),
    ("井盖丢了，路上有个大洞很危险", "路边井盖不见了，晚上容易掉下去"),
    ("楼道里堆满了杂物，消防通道堵了", "楼道堆放杂物挡住了消防通道"),
    ("楼道灯坏了 😡😡", "楼道灯不亮👎"),
    ("停水了，一整天都没水，也没通知", "我们楼今天突然停水，什么时候来水啊"),
    ("下水道堵了，污水冒到楼道里", "一楼下水道返水，楼道里全是污水"),
    ("小区门口有人摆摊占道，车都过不去", "门口摆地摊的把路堵了"),
    ("楼顶防水坏了，下雨顶楼家里漏雨", "顶楼漏雨，墙都泡坏了"),
    ("有人在楼道里给电动车充电，飞线很危险", "楼道飞线充电，担心起火"),
    ("隔壁装修噪音太大，中午也在敲", "楼上装修太吵了，午休时间也不停"),
]
OTHER = [
    (LIGHT, LEAK),
    (LIGHT, "电梯又停了，困人了，快来人"),
    ("小区东门的路灯坏了好几天了", "小区东门有人乱停车，堵住了出口"),
    (LEAK, "家里水管爆了，水压很低"),
    ("垃圾桶满了好几天没人清运，臭死了", "楼下饭店油烟太大，窗户都不敢开"),
    ("井盖丢了，路上有个大洞很危险", "楼道里堆满了杂物，消防通道堵了"),
    ("小区里有人遛狗不牵绳，吓到小孩", "想办个居住证明，孩子上学要用"),
    ("电梯又停了，困人了，快来人", "2栋电梯广告屏声音太吵"),
    ("楼道灯坏了", "楼道里堆满了杂物"),
    ("隔壁装修噪音太大，中午也在敲", "楼下广场舞音响太吵"),
    ("停水了，一整天都没水，也没通知", "停电了，冰箱里东西都坏了"),
    ("下水道堵了，污水冒到楼道里", "楼道灯坏了，晚上很黑"),
    ("小区门口有人摆摊占道，车都过不去", "小区门口的垃圾桶满了"),
    ("楼顶防水坏了，下雨顶楼家里漏雨", LEAK),
    ("有人在楼道里给电动车充电，飞线很危险", "电动车在小区里被偷了"),
    ("我家老人想申请低保", "想给孩子办个居住证明"),
]


@pytest.fixture
def dw(aw):
    """The appeal world with a compound (青和居 = b1 + b2) and b5, a second building of grid 1 outside it."""
    for code in ("b1", "b2"):
        aw.buildings[code].compound = "青和居"
        aw.buildings[code].save()
    aw.buildings["b5"] = make_building(aw.communities["e1"], aw.grids["g1"], 5)
    return aw


def report(aw, building="b1", text=LIGHT, *, days_ago: float = 0, **kwargs) -> Appeal:
    received = timezone.now() - datetime.timedelta(days=days_ago)
    return new_appeal(aw, building=building, text=text, received_at=received, **kwargs)


def found(user, text, aw, building="b1", **kwargs) -> list[Appeal]:
    b = aw.buildings[building]
    return [c.appeal for c in similar_appeals(user, text=text, community_id=b.community_id, building=b, **kwargs)]


def main_and_duplicate(aw):
    return report(aw, text=LIGHT, days_ago=2), report(aw, text=LIGHT_AGAIN)


def secretary(aw):
    return aw.actor("secretary")


def close(aw, appeal, text="已更换灯泡，楼道灯恢复正常"):
    services.dispatch(appeal, aw.units["property"], actor=secretary(aw))
    services.sign(appeal, actor=aw.actor("dept_handler"))
    services.resolve(appeal, actor=aw.actor("dept_handler"), outcome=Outcome.SOLVED, resolution="换了灯泡")
    return services.reply(appeal, actor=aw.actor("staff"), text=text, method=ReplyMethod.PHONE, rating=Rating.SATISFIED)


# --- similarity -----------------------------------------------------------------------------------------


def test_the_same_matter_in_other_words_scores_above_the_threshold_and_other_matters_below(aw):
    same = [similarity(a, b) for a, b in SAME]
    other = [similarity(a, b) for a, b in OTHER]
    right = sum(s >= THRESHOLD for s in same) + sum(s < THRESHOLD for s in other)
    assert right >= 30, (same, other)  # 31 of 32 when measured; wording alone separates 28
    assert similarity(LIGHT, LIGHT) == pytest.approx(1.0)


def test_traditional_text_matches_its_simplified_report(dw):
    simplified = report(dw, text=LIGHT)
    assert similarity(LIGHT, LIGHT_TRADITIONAL) == pytest.approx(1.0)
    assert found(dw.users["secretary"], LIGHT_TRADITIONAL, dw) == [simplified]


def test_it_lists_the_most_similar_first(dw):
    paraphrase = report(dw, text=LIGHT_AGAIN)
    exact = report(dw, text="3单元楼道灯坏了一个星期，晚上老人上下楼看不见，请物业来修")
    report(dw, text=LEAK)
    candidates = similar_appeals(
        dw.users["secretary"], text=LIGHT, community_id=dw.communities["e1"].pk, building=dw.buildings["b1"]
    )
    assert [c.appeal for c in candidates] == [exact, paraphrase]
    assert candidates[0].score > candidates[1].score >= THRESHOLD
    assert candidates[0].place_label == "同一楼栋"


def test_at_equal_text_the_same_building_comes_before_the_compound_the_grid_and_the_community(dw):
    in_grid = report(dw, "b5", days_ago=1)  # grid 1, not the compound
    in_compound = report(dw, "b2", days_ago=1)  # the compound, grid 2
    free_address = report(dw, None, community=dw.communities["e1"], address="小区东门", days_ago=1)
    same_building = report(dw, "b1", days_ago=1)
    candidates = similar_appeals(
        dw.users["secretary"], text=LIGHT, community_id=dw.communities["e1"].pk, building=dw.buildings["b1"]
    )
    assert [c.appeal for c in candidates] == [same_building, in_compound, in_grid, free_address]
    assert [c.place for c in candidates] == ["building", "compound", "grid", "community"]


def test_only_open_appeals_of_the_last_14_days_nearby_are_candidates(dw):
    recent = report(dw, days_ago=13)
    report(dw, days_ago=15)  # too old
    report(dw, "b3")  # another community
    withdrawn = report(dw)
    services.withdraw(withdrawn, actor=secretary(dw), reason="居民自行解决")
    closed = close(dw, report(dw))
    assert closed.status == Status.CLOSED
    main, dup = report(dw, text=LEAK), report(dw)
    services.merge_appeal(dup, main, actor=secretary(dw))  # 已合并: not open
    assert found(dw.users["secretary"], LIGHT, dw) == [recent]


def test_a_building_outside_the_compound_and_the_grid_is_not_a_candidate(dw):
    dw.buildings["b2"].compound = ""
    dw.buildings["b2"].save()
    report(dw, "b2")  # same community, grid 2, no compound in common
    assert found(dw.users["secretary"], LIGHT, dw) == []
    assert len(found(dw.users["secretary"], LIGHT, dw, building="b2")) == 1


def test_a_grid_worker_is_not_shown_another_grids_appeals(dw):
    other_grid = report(dw, "b2")  # same compound, but grid 2
    mine = report(dw, "b5")
    assert found(dw.users["grid_worker_1"], LIGHT, dw) == [mine]
    assert set(found(dw.users["secretary"], LIGHT, dw)) == {mine, other_grid}
    assert found(dw.users["grid_worker_2"], LIGHT, dw, building="b2") == [other_grid]  # b5 is not theirs


def test_bad_text_finds_nothing_or_works_without_error(dw):
    report(dw)
    secretary_user = dw.users["secretary"]
    assert found(secretary_user, "", dw) == []
    assert found(secretary_user, "   ", dw) == []
    assert found(secretary_user, "😡😡😡🔥", dw) == []
    assert found(secretary_user, "!!!???。。。", dw) == []
    assert len(found(secretary_user, "Lou道灯 broken 楼道灯坏了 😡", dw)) == 1  # mixed scripts
    start = time.perf_counter()
    assert len(found(secretary_user, "楼道灯坏了" * 2000, dw)) == 1  # 10,000 characters
    assert time.perf_counter() - start < 2


def test_the_detail_window_reaches_back_from_when_the_appeal_was_received(dw):
    older = report(dw, days_ago=20)
    waiting = report(dw, text=LIGHT_AGAIN, days_ago=10)
    assert [c.appeal for c in similar_to(waiting, dw.users["secretary"])] == [older]
    assert found(dw.users["secretary"], LIGHT, dw, exclude=[waiting.pk]) == []  # today's window: 14 days


# --- merging --------------------------------------------------------------------------------------------


def test_merging_makes_the_duplicate_one_more_voice_of_the_main_appeal(aw):
    main, dup = main_and_duplicate(aw)
    services.dispatch(dup, aw.units["property"], actor=secretary(aw))
    dup.refresh_from_db()
    assert dup.current_due is not None
    services.merge_appeal(dup, main, actor=secretary(aw), note="同一盏灯")
    dup.refresh_from_db()
    main.refresh_from_db()
    assert (dup.status, dup.merged_into, dup.current_due) == (Status.MERGED, main, None)
    assert main.status == Status.PENDING_DISPATCH
    assert services.voices(main) == 2
    dup_event, main_event = dup.events.last(), main.events.last()
    assert (dup_event.action, dup_event.from_status, dup_event.to_status) == (
        EventAction.MERGED,
        Status.PENDING_SIGN,
        Status.MERGED,
    )
    assert dup_event.note.startswith(f"合并入 {main.number}") and "同一盏灯" in dup_event.note
    assert main_event.action == EventAction.MERGED
    assert f"{dup.number} 并入本诉求，附议+1，共2人反映" in main_event.note
    # The property company no longer has to sign for it, and is told so; it is never flagged overdue.
    assert Notification.objects.filter(user=aw.users["dept_handler"], title__contains="无需签收").exists()
    assert services.flag_overdue(now=timezone.now() + datetime.timedelta(days=30)) == 0


def refused(call, error=ValidationError, match=None):
    with pytest.raises(error, match=match), transaction.atomic():
        call()


def test_every_refused_merge_changes_nothing(aw):
    main, dup = main_and_duplicate(aw)
    before = AppealEvent.objects.count()
    sec = secretary(aw)
    refused(lambda: services.merge_appeal(dup, dup, actor=sec), match="不能把诉求合并到它自己")
    refused(lambda: services.merge_appeal(dup, main, actor=aw.actor("grid_worker_1")), PermissionDenied)
    other_community = report(aw, "b3", text=LIGHT_AGAIN)
    refused(lambda: services.merge_appeal(other_community, main, actor=sec), Http404)  # not the secretary's area
    street = aw.actor("street_admin")
    refused(lambda: services.merge_appeal(other_community, main, actor=street), match="只能合并同一社区的诉求")
    # The duplicate: someone is already working on it, or it is finished.
    in_progress = report(aw, text=LIGHT_AGAIN)
    services.dispatch(in_progress, aw.units["property"], actor=sec)
    services.sign(in_progress, actor=aw.actor("dept_handler"))
    refused(lambda: services.merge_appeal(in_progress, main, actor=sec), match="已由东一物业服务中心签收办理")
    withdrawn = report(aw, text=LIGHT_AGAIN)
    services.withdraw(withdrawn, actor=sec, reason="登记重复")
    refused(lambda: services.merge_appeal(withdrawn, main, actor=sec), match="已撤销")
    # The main appeal: finished, or itself merged (no chains).
    closed = close(aw, report(aw, text=LIGHT))
    refused(lambda: services.merge_appeal(dup, closed, actor=sec), match="已结案。如果问题仍然存在")
    refused(lambda: services.merge_appeal(dup, withdrawn, actor=sec), match="已撤销，不能合并到它")
    third = report(aw, text=LIGHT_AGAIN)
    before = AppealEvent.objects.count()
    services.merge_appeal(dup, main, actor=sec)
    refused(lambda: services.merge_appeal(dup, main, actor=sec), match="已经合并到别的诉求")
    refused(lambda: services.merge_appeal(third, dup, actor=sec), match=f"本身已合并到 {main.number}")
    assert AppealEvent.objects.count() == before + 2  # only the one merge that was allowed
    assert Appeal.objects.filter(status=Status.MERGED).count() == 1


def test_merging_an_appeal_that_has_duplicates_moves_them_to_the_new_main_one(aw):
    first, second, third = report(aw, days_ago=3), report(aw, days_ago=2), report(aw, text=LIGHT_AGAIN)
    services.merge_appeal(third, second, actor=secretary(aw))
    services.merge_appeal(second, first, actor=secretary(aw))
    third.refresh_from_db()
    assert third.merged_into == first  # no chain third → second → first
    assert services.voices(first) == 3 and services.voices(second) == 1
    assert "连同已并入它的1件" in first.events.last().note and "附议+2，共3人" in first.events.last().note
    assert f"随 {second.number} 一并合并入 {first.number}" in third.events.last().note


def test_the_duplicate_gets_the_main_appeals_reply_when_it_is_closed(aw):
    main, dup = main_and_duplicate(aw)
    services.merge_appeal(dup, main, actor=secretary(aw))
    main = close(aw, main, text="已更换灯泡，楼道灯恢复正常")
    dup.refresh_from_db()
    assert dup.status == Status.MERGED
    assert (dup.reply_text, dup.reply_method, dup.replied_at) == (
        "已更换灯泡，楼道灯恢复正常",
        "phone",
        main.replied_at,
    )
    assert dup.events.last().action == EventAction.REPLIED
    assert f"随主诉求 {main.number} 一并答复" in dup.events.last().note
    with pytest.raises(ValidationError, match="不能再取消合并"):
        services.unmerge_appeal(dup, actor=secretary(aw), reason="搞错了")


def test_withdrawing_the_main_appeal_gives_its_duplicates_back_to_the_dispatcher(aw):
    main, dup = main_and_duplicate(aw)
    services.dispatch(dup, aw.units["property"], actor=secretary(aw))
    services.merge_appeal(dup, main, actor=secretary(aw))
    services.withdraw(main, actor=secretary(aw), reason="反映人说是误报")
    dup.refresh_from_db()
    assert (dup.status, dup.merged_into, dup.assigned_org, dup.current_due) == (
        Status.PENDING_DISPATCH,
        None,
        None,
        None,
    )
    assert dup.events.last().action == EventAction.UNMERGED and "已撤销" in dup.events.last().note
    assert Notification.objects.filter(user=aw.users["secretary"], title__contains="恢复待派单").exists()


def test_unmerging_puts_the_appeal_back_on_its_own(aw):
    main, dup = main_and_duplicate(aw)
    services.merge_appeal(dup, main, actor=secretary(aw))
    with pytest.raises(ValidationError, match="原因"):
        services.unmerge_appeal(dup, actor=secretary(aw), reason=" ")
    services.unmerge_appeal(dup, actor=secretary(aw), reason="不是同一盏灯")
    dup.refresh_from_db()
    assert (dup.status, dup.merged_into) == (Status.PENDING_DISPATCH, None)
    assert services.voices(main) == 1 and "附议-1" in main.events.last().note
    with pytest.raises(ValidationError, match="无需取消合并"):
        services.unmerge_appeal(dup, actor=secretary(aw), reason="再来一次")


def test_the_database_keeps_merged_into_for_merged_appeals_only(aw):
    from django.db import IntegrityError

    main, dup = main_and_duplicate(aw)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=dup.pk).update(merged_into=main)  # still 待派单
    with pytest.raises(IntegrityError), transaction.atomic():
        Appeal.objects.filter(pk=dup.pk).update(merged_into=dup, status=Status.MERGED)


# --- pages and API ---------------------------------------------------------------------------------------

PANEL = reverse("appeals:intake_duplicates")


def test_the_intake_panel_lists_similar_appeals_with_a_merge_choice_for_dispatchers(dw, login):
    near = report(dw, days_ago=1)
    params = {"text": LIGHT_AGAIN, "building": dw.buildings["b1"].pk}
    page = login(dw.users["secretary"]).post(PANEL, params).content.decode()
    assert "可能重复的诉求" in page and near.number in page and "同一楼栋" in page and "相似" in page
    assert f'name="merge_into" id="merge-into-{near.pk}"' in page
    page = login(dw.users["grid_worker_1"]).get(PANEL, params).content.decode()  # GET answers too
    assert near.number in page and 'name="merge_into"' not in page  # grid workers see, dispatchers merge
    assert near.number not in login(dw.users["grid_worker_2"]).post(PANEL, params).content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"text": ""},
        {"text": "😡" * 50},
        {"text": "楼道灯坏了" * 2000, "building": "1"},
        {"text": "樓道燈 broken 😡", "building": "abc", "community": "x"},
        {"text": "楼道灯", "building": "99999999999999999999"},
        {"text": "楼道灯", "merge_into": "-1"},
    ],
)
def test_the_intake_panel_survives_bad_input(dw, login, params):
    report(dw)
    assert login(dw.users["secretary"]).post(PANEL, params).status_code == 200


def intake_post(aw, **extra):
    data = {
        "text": LIGHT_AGAIN,
        "channel": "phone",
        "reporter_name": "李大爷",
        "building": aw.buildings["b1"].pk,
        "community": aw.communities["e1"].pk,
    }
    return data | extra


def test_registering_with_a_chosen_duplicate_merges_it_at_once(dw, login):
    main = report(dw, days_ago=1)
    client = login(dw.users["secretary"])
    response = client.post(reverse("appeals:appeal_add"), intake_post(dw, merge_into=main.pk), follow=True)
    new = Appeal.objects.exclude(pk=main.pk).get()
    assert (new.status, new.merged_into) == (Status.MERGED, main)
    assert f"已并入 {main.number}（附议）" in response.content.decode()
    both = intake_post(
        dw, merge_into=main.pk, and_dispatch="1", category=dw.category("corridor_light").pk, **{"d-dispatch_unit": ""}
    )
    refused_page = client.post(reverse("appeals:appeal_add"), both)
    assert refused_page.status_code == 400 and "只选一项" in refused_page.content.decode()
    # A grid worker cannot merge (the choice is not theirs), whatever the form says.
    page = login(dw.users["grid_worker_1"]).post(reverse("appeals:appeal_add"), intake_post(dw, merge_into=main.pk))
    assert page.status_code == 400 and "不在您的派单范围内" in page.content.decode()


def test_the_detail_page_offers_the_duplicates_and_merges_from_there(dw, login):
    main, dup = main_and_duplicate(dw)
    client = login(dw.users["secretary"])
    page = client.get(reverse("appeals:appeal_detail", args=[dup.pk])).content.decode()
    assert "可能重复的诉求" in page and f"本诉求并入 {main.number}" in page and f"{main.number} 并入本诉求" in page
    response = client.post(reverse("appeals:appeal_merge", args=[dup.pk]), {"merge-main": main.number})
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("appeals:appeal_detail", args=[main.pk])
    )
    page = client.get(response["Location"]).content.decode()
    assert "附议 2 人" in page and dup.number in page and "王阿姨" in page
    dup_page = client.get(reverse("appeals:appeal_detail", args=[dup.pk])).content.decode()
    assert "合并到" in dup_page and main.number in dup_page and "取消合并" in dup_page
    queue = client.get(reverse("appeals:appeal_list"), {"tab": "all"}).content.decode()
    assert "附议2人" in queue


def test_a_refused_merge_comes_back_on_the_page_in_chinese(aw, login):
    main, dup = main_and_duplicate(aw)
    client = login(aw.users["secretary"])
    url = reverse("appeals:appeal_merge", args=[dup.pk])
    for main_field, message in [
        ("", "请填写要并入的主诉求编号"),
        ("20991231-99999", "找不到编号为“20991231-99999”的诉求"),
        (dup.number, "不能把诉求合并到它自己"),
        ("😡" * 10, "找不到编号为"),
        ("9" * 5000, "诉求编号不超过40个字符"),
    ]:
        response = client.post(url, {"merge-main": main_field})
        assert response.status_code == 400 and message in response.content.decode(), main_field
    assert Appeal.objects.get(pk=dup.pk).status == Status.PENDING_DISPATCH
    assert login(aw.users["grid_worker_1"]).post(url, {"merge-main": main.number}).status_code == 403


def test_the_api_merges_into_a_main_appeal_by_number(aw, login):
    main, dup = main_and_duplicate(aw)
    client = login(aw.users["secretary"])
    url = f"/api/appeals/{dup.pk}/merge"
    response = client.post(url, {"main": main.number}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["number"] == main.number
    again = client.post(url, {"main": main.number}, content_type="application/json")
    assert again.status_code == 422 and "已经合并" in again.content.decode()
    assert duplicates.find_main(aw.users["secretary"], str(main.pk)) == main


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_the_panel_appears_as_the_text_is_typed_and_the_dispatcher_merges(aw, live_server, chromium):
    import os

    from linli.testing import PASSWORD

    main = report(aw, text=LIGHT, days_ago=1)
    page = chromium.new_context(viewport={"width": 360, "height": 780}, locale="zh-CN").new_page()
    errors = []
    page.on("console", lambda m: errors.append(page.url + " " + m.text[:80]) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{reverse('appeals:appeal_add')}")
    page.select_option("#id_building", str(aw.buildings["b1"].pk))
    page.fill("#id_text", LIGHT_AGAIN)
    page.locator("#intake-duplicates").get_by_text(main.number).wait_for()  # htmx swapped the panel in
    shots = os.environ.get("LINLI_SCREENSHOTS")
    if shots:
        page.locator("#intake-duplicates").screenshot(path=f"{shots}/intake-duplicates.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.check(f"#merge-into-{main.pk}")
    page.fill("#id_text", LIGHT_AGAIN + "，已经好几天了")  # the panel refreshes and keeps the choice
    page.wait_for_timeout(900)
    assert page.is_checked(f"#merge-into-{main.pk}")
    page.check("input[name=channel][value=phone]")
    page.fill("#id_reporter_name", "李大爷")
    page.click(".intake-actions button[type=submit]")
    page.wait_for_url("**/appeals/*/")
    new = Appeal.objects.exclude(pk=main.pk).get()
    assert (new.status, new.merged_into_id) == (Status.MERGED, main.pk)
    page.goto(f"{live_server.url}{reverse('appeals:appeal_detail', args=[main.pk])}")
    assert page.get_by_text("附议 2 人").first.is_visible()
    if shots:
        page.screenshot(path=f"{shots}/detail-voices.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == [], errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_merging_a_pair_both_ways_at_once_leave_one_merge(aw):
    from django.db import connection

    from linli.core.testing_db import race

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: tested on PostgreSQL")
    a, b = main_and_duplicate(aw)
    ways = [(a, b, "secretary"), (b, a, "staff")]
    done, refusals, failures = race(
        2, lambda i: services.merge_appeal(ways[i][0], ways[i][1], actor=aw.actor(ways[i][2])).pk
    )
    assert failures == [] and len(done) == 1 and len(refusals) == 1, (done, refusals, failures)
    assert "合并" in refusals[0]
    assert Appeal.objects.filter(status=Status.MERGED).count() == 1


def test_the_handler_sees_how_many_neighbours_reported_it(aw, login):
    main, dup = main_and_duplicate(aw)
    services.merge_appeal(dup, main, actor=secretary(aw))
    services.dispatch(main, aw.units["property"], actor=secretary(aw))
    page = login(aw.users["dept_handler"]).get(reverse("appeals:appeal_detail", args=[main.pk])).content.decode()
    assert "附议 2 人" in page and "可能重复的诉求" not in page


def test_mark_voices_counts_what_the_orm_query_counted(aw):
    """mark_voices writes its GROUP BY out (issue 20): the same counts as the queryset it replaced."""
    from django.db.models import Count

    first, second, third, alone = (
        report(aw, days_ago=4),
        report(aw, days_ago=3),
        report(aw, days_ago=2),
        report(aw, text=LEAK),
    )
    services.merge_appeal(third, second, actor=secretary(aw))
    services.merge_appeal(second, first, actor=secretary(aw))
    rows = [first, second, third, alone]
    duplicates.mark_voices(rows)
    ids = [a.pk for a in rows]
    merged = Appeal.objects.filter(merged_into__in=ids, status=Status.MERGED).values("merged_into")
    orm = dict(merged.annotate(n=Count("id")).values_list("merged_into", "n"))
    assert [a.voices for a in rows] == [1 + orm.get(a.pk, 0) for a in rows] == [3, 1, 1, 1]
    duplicates.mark_voices([])  # no rows: no query, nothing to mark
