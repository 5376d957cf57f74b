"""好人好事墙: drawn from approved good deeds and confirmed volunteer service; a name only with the person's consent
(recorded by staff, with a change record), otherwise “一位志愿者” or the building; other names, phones and rooms
taken out of the stories; an entry staff hide is gone from every screen."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from linli.bigscreen.models import WallConsent, WallHidden
from linli.bigscreen.testing import make_screen
from linli.bigscreen.wall import scrub
from linli.core.audit import history_of
from linli.lovebank import services as lovebank
from linli.lovebank.testing import SETUP as BANK
from linli.testing import SYSTEM
from linli.volunteers.services import mark_attendance
from linli.volunteers.tests.helpers import activity, volunteer

pytestmark = pytest.mark.django_db

STORY = "帮张三修好水管，电话13812345678，住2单元502"


@pytest.fixture
def wall(world):
    """A deed of 陈奶奶 (东一, 1栋) approved, and 刘热心 (an outside volunteer) serving on a past activity."""
    e1 = world.communities["e1"]
    chen = lovebank.resident_account(world.residents["chen"])
    deed = lovebank.report_deed(
        community=e1, subject_name="陈奶奶", description=STORY, occurred_on=datetime.date(2026, 11, 20), actor=BANK
    )
    lovebank.approve_deed(deed, actor=BANK, points=5, account=chen)
    helper = volunteer(world, name="刘热心")
    service = activity(world, start=-30, length=2, title="楼道清洁")
    mark_attendance(service, helper, actor=SYSTEM)
    screen, key = make_screen(community=e1, panels=["wall"])
    return {"deed": deed, "account": chen, "volunteer": helper, "activity": service, "key": key}


def screen_text(client, key) -> str:
    """Everything the display receives: the page and its data."""
    page = client.get(reverse("bigscreen:screen_show", args=[key])).content.decode()
    payload = client.get(reverse("bigscreen:screen_data", args=[key])).content.decode()
    return page + payload


def entries(client, key) -> list[dict]:
    payload = client.get(reverse("bigscreen:screen_data", args=[key])).json()
    return [e for p in payload["panels"] if p["panel"] == "wall" for page in p["pages"] for e in page]


def test_without_consent_no_name_appears(world, client, wall):
    text = screen_text(client, wall["key"])
    assert "陈奶奶" not in text and "刘热心" not in text
    shown = {e["kind"]: e for e in entries(client, wall["key"])}
    assert shown["好人好事"]["who"] == "1栋的一位居民" and shown["好人好事"]["points"] == 5
    assert shown["志愿服务"]["who"] == "一位志愿者" and shown["志愿服务"]["what"] == "参加“楼道清洁”志愿服务"


def test_the_story_loses_other_names_phones_and_rooms(world, client, wall):
    text = screen_text(client, wall["key"])
    for secret in ("张三", "13812345678", "2单元502", "502"):
        assert secret not in text
    assert "帮某某修好水管" in text


def test_with_consent_the_name_appears_and_the_consent_is_recorded(world, client, wall):
    client.force_login(world.users["staff"])
    url = reverse("bigscreen:wall_consent")
    e1 = world.communities["e1"]
    for target in (f"account:{wall['account'].pk}", f"volunteer:{wall['volunteer'].pk}"):
        response = client.post(url, {"target": target, "consent": "1", "node": f"community:{e1.pk}"})
        assert response.status_code == 302
    shown = {e["kind"]: e["who"] for e in entries(client, wall["key"])}
    assert shown == {"好人好事": "陈奶奶", "志愿服务": "刘热心"}
    # one row per person: 陈奶奶 by her resident record, the outside volunteer by their volunteer record
    chen = WallConsent.objects.get(resident=world.residents["chen"])
    outside = WallConsent.objects.get(volunteer=wall["volunteer"])
    assert chen.consent and outside.consent and WallConsent.objects.count() == 2
    change = history_of(outside).get()
    assert change.actor == world.users["staff"] and change.note == "好人好事墙展示姓名"
    client.post(url, {"target": f"volunteer:{wall['volunteer'].pk}", "consent": "0"})
    assert "刘热心" not in screen_text(client, wall["key"])
    assert history_of(outside).order_by("-at", "-id").first().changes["同意在好人好事墙展示姓名"] == [True, False]


def test_a_resident_has_one_consent_for_their_volunteer_record_and_their_account(world, client, wall):
    """陈奶奶 is also a volunteer: agreeing on her account shows her name on her service too, and withdrawing it
    on the volunteer record takes it off her deed."""
    e1 = world.communities["e1"]
    chen = volunteer(world, name=world.residents["chen"].name, resident=world.residents["chen"])
    mark_attendance(wall["activity"], chen, actor=SYSTEM)
    client.force_login(world.users["staff"])
    url = reverse("bigscreen:wall_consent")
    client.post(url, {"target": f"account:{wall['account'].pk}", "consent": "1", "node": f"community:{e1.pk}"})
    shown = {e["kind"]: e["who"] for e in entries(client, wall["key"])}
    assert shown["好人好事"] == "陈奶奶" and shown["志愿服务"].startswith("陈奶奶")
    client.post(url, {"target": f"volunteer:{chen.pk}", "consent": "0"})
    assert "陈奶奶" not in screen_text(client, wall["key"])
    assert list(WallConsent.objects.values_list("resident", "consent")) == [(world.residents["chen"].pk, False)]


def test_the_volunteer_form_records_consent_too(world, client, wall):
    client.force_login(world.users["staff"])
    helper = wall["volunteer"]
    form = {
        "community": helper.community_id,
        "name": helper.name,
        "joined_on": helper.joined_on.isoformat(),
        "is_active": "on",
        "wall_name_consent": "on",
    }
    response = client.post(reverse("volunteers:volunteer_edit", args=[helper.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "刘热心" in screen_text(client, wall["key"])
    page = client.get(reverse("volunteers:volunteer_edit", args=[helper.pk])).content.decode()
    assert re.search(r'name="wall_name_consent"[^>]*checked', page)
    del form["wall_name_consent"]
    client.post(reverse("volunteers:volunteer_edit", args=[helper.pk]), form)
    assert "刘热心" not in screen_text(client, wall["key"])
    assert list(WallConsent.objects.values_list("consent", flat=True)) == [False]


def test_a_hidden_entry_is_gone_and_comes_back(world, client, wall):
    client.force_login(world.users["secretary"])
    deed = wall["deed"]
    response = client.post(reverse("bigscreen:wall_hide"), {"kind": "deed", "id": deed.pk, "reason": "本人不愿公开"})
    assert response.status_code == 302
    assert [e["kind"] for e in entries(client, wall["key"])] == ["志愿服务"]
    hidden = WallHidden.objects.get()
    assert (hidden.hidden_by, hidden.reason) == (world.users["secretary"], "本人不愿公开")
    assert history_of(hidden).get().note == "从好人好事墙隐藏"
    page = client.get(reverse("bigscreen:wall")).content.decode()
    assert "已隐藏" in page and "恢复显示" in page
    client.post(reverse("bigscreen:wall_show"), {"kind": "deed", "id": deed.pk})
    assert not WallHidden.objects.exists()
    assert sorted(e["kind"] for e in entries(client, wall["key"])) == ["好人好事", "志愿服务"]


def test_a_display_refreshing_reads_the_wall_from_the_cache_and_a_hide_or_withdrawal_shows_at_once(
    world, client, wall, cached_reports
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert len(entries(client, wall["key"])) == 2
    with CaptureQueriesContext(connection) as queries:
        assert len(entries(client, wall["key"])) == 2
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "lovebank_deed" not in tables and "volunteers_attendance" not in tables
    staff = client_for(world.users["secretary"])
    staff.post(reverse("bigscreen:wall_hide"), {"kind": "deed", "id": wall["deed"].pk})
    assert [e["kind"] for e in entries(client, wall["key"])] == ["志愿服务"]  # at once, not after the cache time
    staff.post(reverse("bigscreen:wall_consent"), {"target": f"volunteer:{wall['volunteer'].pk}", "consent": "1"})
    assert "刘热心" in screen_text(client, wall["key"])
    staff.post(reverse("bigscreen:wall_consent"), {"target": f"volunteer:{wall['volunteer'].pk}", "consent": "0"})
    assert "刘热心" not in screen_text(client, wall["key"])
    staff.post(reverse("bigscreen:wall_show"), {"kind": "deed", "id": wall["deed"].pk})
    assert sorted(e["kind"] for e in entries(client, wall["key"])) == ["好人好事", "志愿服务"]
    # a street's screen is told too
    _, street_key = make_screen(street=world.streets["east"], panels=["wall"])
    assert len(entries(client, street_key)) == 2
    staff.post(reverse("bigscreen:wall_hide"), {"kind": "deed", "id": wall["deed"].pk})
    assert [e["kind"] for e in entries(client, street_key)] == ["志愿服务"]


def client_for(user):
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other


def test_staff_keep_only_their_own_communitys_wall(world, client, wall):
    sun = lovebank.resident_account(world.residents["sun"])
    deed = lovebank.report_deed(
        community=world.communities["w1"],
        subject_name="孙七",
        description="扫雪",
        occurred_on=datetime.date(2026, 11, 1),
        actor=BANK,
    )
    lovebank.approve_deed(deed, actor=BANK, points=3, account=sun)
    client.force_login(world.users["staff"])  # 东一社区
    client.post(reverse("bigscreen:wall_hide"), {"kind": "deed", "id": deed.pk})
    client.post(reverse("bigscreen:wall_consent"), {"target": f"account:{sun.pk}", "consent": "1"})
    assert not WallHidden.objects.exists()
    assert not WallConsent.objects.exists()
    w1 = world.communities["w1"]
    assert client.get(reverse("bigscreen:wall"), {"node": f"community:{w1.pk}"}).status_code == 404


def test_a_grid_worker_keeps_no_wall(world, client, wall):
    client.force_login(world.users["grid_worker_1"])
    response = client.post(reverse("bigscreen:wall_hide"), {"kind": "deed", "id": wall["deed"].pk})
    assert response.status_code == 403 and not WallHidden.objects.exists()


def test_bad_wall_requests_change_nothing(world, client, wall):
    client.force_login(world.users["staff"])
    for form in ({"kind": "deed", "id": "abc"}, {"kind": "nonsense", "id": "1"}, {"kind": "deed", "id": "99999"}):
        response = client.post(reverse("bigscreen:wall_hide"), form)
        assert response.status_code in (302, 404)
    response = client.post(reverse("bigscreen:wall_consent"), {"target": "someone:1", "consent": "1"}, follow=True)
    assert "请选择要记录同意的人" in response.content.decode()
    assert not WallHidden.objects.exists()


def test_scrub_keeps_the_consenting_persons_own_name():
    names = {"王芳", "李建国"}
    assert scrub("王芳和李建国一起扫雪，3-2-502", names, keep=("王芳",)) == "王芳和某某一起扫雪，**"
    assert scrub("身份证11010519491231002X", set()) == "身份证**"


def test_a_residents_name_in_a_story_is_found_without_reading_every_resident(world):
    """known_names with the stories looks up only the pieces of those stories: the same names the scrub would find
    in the whole list, and none that no story holds."""
    from linli.bigscreen.wall import known_names

    chen = world.residents["chen"]
    e1 = world.communities["e1"]
    story = f"邻居{chen.name}帮忙照看孩子"
    everyone = known_names([e1.pk])
    found = known_names([e1.pk], [story])
    assert chen.name in found and chen.name in everyone
    assert found <= everyone
    assert scrub(story, found) == scrub(story, everyone) == "邻居某某帮忙照看孩子"
    others = {r.name for r in world.residents.values() if r.community_id == e1.pk and r.name not in story}
    assert others and not (others & known_names([e1.pk], [story]) - {"陈奶奶"})


def test_scrub_masks_how_neighbours_name_one_another_but_not_ordinary_words():
    stories = {
        "帮张大爷修水管": "帮某大爷修水管",
        "王阿姨送饭给刘奶奶": "某阿姨送饭给某奶奶",
        "老王和小李一起扫雪": "老某和小某一起扫雪",
        "老王家的猫找到了，小刘，谢谢": "老某家的猫找到了，小某，谢谢",
        "陈师傅修好了路灯": "某师傅修好了路灯",
        # no one is named here: 小区, 老人, 小朋友, 老旧, 小龙虾 stay
        "小区门口的老人和小朋友": "小区门口的老人和小朋友",
        "老旧小区改造，请大家吃小龙虾": "老旧小区改造，请大家吃小龙虾",
    }
    for story, shown in stories.items():
        assert scrub(story, set()) == shown, story
    # a consenting person's own name stays whole even where it reads like a nickname
    assert scrub("陈奶奶帮王大爷买菜", {"陈奶奶"}, keep=("陈奶奶",)) == "陈奶奶帮某大爷买菜"
