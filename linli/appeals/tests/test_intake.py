"""The intake screen (/appeals/new/): any channel, a resident or a name or nobody, a household or a free address,
photos in the same step, prefilled from a visit, and "登记并派单" for dispatchers."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from linli.appeals.choices import Channel, EventAction, Status, Urgency
from linli.appeals.models import Appeal
from linli.areas.models import Household
from linli.attachments.models import Photo
from linli.attachments.services import photos_of
from linli.attachments.tests.images import not_an_image, photo
from linli.testing import SYSTEM
from linli.visits.services import log_visit

pytestmark = pytest.mark.django_db

URL = "/appeals/new/"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def form(**overrides):
    data = {"text": "楼道灯坏了，晚上看不见。", "channel": Channel.PHONE, "urgency": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_url_names_resolve():
    assert reverse("appeals:appeal_add") == URL


def test_a_grid_worker_registers_an_appeal_for_a_resident_in_their_grid(aw, login):
    client = login(aw.users["grid_worker_1"])
    zhang = aw.residents["zhang"]
    resp = client.post(URL, form(reporter=zhang.pk, category=aw.category("lift").pk))
    appeal = Appeal.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("appeals:appeal_detail", args=[appeal.pk])
    assert appeal.reporter == zhang and appeal.household == zhang.household and appeal.grid == aw.grids["g1"]
    assert appeal.urgency == Urgency.EXPEDITED  # the category's default
    assert appeal.status == Status.PENDING_DISPATCH and appeal.created_by == aw.users["grid_worker_1"]
    page = client.get(resp.url)
    assert f"诉求已登记，编号 {appeal.number}" in page.content.decode()


def test_the_intake_screen_offers_the_staff_channels_and_no_dispatch_to_a_grid_worker(aw, login):
    html = login(aw.users["grid_worker_1"]).get(URL).content.decode()
    for label in ("上门走访", "电话", "来访", "微信/短信", "12345转办"):
        assert label in html
    assert "居民自助" not in html
    assert "登记并派单" not in html
    assert "登记并派单" in login(aw.users["secretary"]).get(URL).content.decode()


def test_it_refuses_a_resident_of_another_grid_and_creates_nothing(aw, login):
    client = login(aw.users["grid_worker_1"])
    resp = client.post(URL, form(reporter=aw.residents["wang"].pk))
    assert resp.status_code == 400
    assert "所选居民不在您的管辖范围内" in resp.content.decode()
    assert not Appeal.objects.exists()
    # Prefilling from a resident outside the grid is a 404.
    assert client.get(URL + f"?resident={aw.residents['wang'].pk}").status_code == 404


def test_it_refuses_a_building_of_another_grid(aw, login):
    client = login(aw.users["grid_worker_1"])
    resp = client.post(URL, form(reporter_name="王阿姨", building=aw.buildings["b2"].pk))
    assert resp.status_code == 400 and not Appeal.objects.exists()


def test_an_anonymous_appeal_keeps_no_reporter(aw, login):
    client = login(aw.users["staff"])
    resp = client.post(
        URL, form(anonymous="on", reporter_name="不要记", reporter_phone="13800001111", building=aw.buildings["b1"].pk)
    )
    assert resp.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.anonymous and appeal.reporter is None and appeal.reporter_name == ""
    assert appeal.building == aw.buildings["b1"]


def test_a_free_address_with_the_only_community_preselected(aw, login):
    client = login(aw.users["staff"])
    page = client.get(URL).content.decode()
    assert f'name="community" value="{aw.communities["e1"].pk}"' in page
    resp = client.post(URL, form(reporter_name="李师傅", community=aw.communities["e1"].pk, address="小区东门路灯"))
    assert resp.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.address == "小区东门路灯" and appeal.community == aw.communities["e1"] and appeal.building is None


def test_a_typed_address_is_matched_to_the_household(aw, login):
    client = login(aw.users["grid_worker_1"])
    resp = client.post(URL, form(reporter_name="李师傅", address="1栋2单元502"))
    assert resp.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.household == Household.objects.get(building=aw.buildings["b1"], entrance=2, room="502")
    assert appeal.address == ""


def test_a_free_address_naming_a_building_files_the_appeal_there_and_keeps_the_text(aw, login):
    client = login(aw.users["grid_worker_1"])
    resp = client.post(URL, form(reporter_name="李师傅", address="东一社区1栋门口路灯不亮"))
    assert resp.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.building == aw.buildings["b1"] and appeal.household is None
    assert appeal.address == "东一社区1栋门口路灯不亮"


def test_a_room_is_resolved_within_the_chosen_building(aw, login):
    client = login(aw.users["grid_worker_1"])
    b1 = aw.buildings["b1"]
    resp = client.post(URL, form(reporter_name="李师傅", building=b1.pk, room="2单元502"))
    assert resp.status_code == 302
    assert Appeal.objects.get().household == Household.objects.get(building=b1, entrance=2, room="502")
    # 101 exists in both entrances of building 1: the entrance must be said.
    resp = client.post(URL, form(reporter_name="李师傅", building=b1.pk, room="101"))
    assert resp.status_code == 400 and "请写明单元" in resp.content.decode()


def test_errors_keep_everything_typed(aw, login):
    client = login(aw.users["grid_worker_1"])
    resp = client.post(URL, form(text="", reporter_name="李师傅", reporter_phone="123", address="小区东门"))
    html = resp.content.decode()
    assert resp.status_code == 400
    assert "请填写诉求内容" in html
    assert 'value="李师傅"' in html and 'value="小区东门"' in html
    assert not Appeal.objects.exists()


def test_a_reporter_is_required_unless_anonymous(aw, login):
    resp = login(aw.users["staff"]).post(URL, form(building=aw.buildings["b1"].pk))
    assert resp.status_code == 400 and "匿名" in resp.content.decode()


def test_photos_are_attached_in_the_same_step(aw, login, media):
    client = login(aw.users["grid_worker_1"])
    resp = client.post(URL, {**form(reporter=aw.residents["zhang"].pk), "photos": [photo(), photo(color=(0, 200, 0))]})
    assert resp.status_code == 302
    appeal = Appeal.objects.get()
    assert photos_of(appeal).count() == 2
    html = client.get(resp.url).content.decode()
    assert reverse("attachments:photo_thumb", args=[photos_of(appeal).first().pk]) in html


def test_a_bad_photo_refuses_everything(aw, login, media):
    client = login(aw.users["grid_worker_1"])
    resp = client.post(URL, {**form(reporter=aw.residents["zhang"].pk), "photos": [photo(), not_an_image()]})
    assert resp.status_code == 400
    assert "第2张照片不是有效的图片文件" in resp.content.decode()
    assert not Appeal.objects.exists() and not Photo.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def make_visit(aw, need="想在楼下装个扶手"):
    return log_visit(
        aw.residents["zhang"],
        actor=SYSTEM,
        outcome="met",
        wellbeing="good",
        findings="",
        need=need,
        visited_on=datetime.date.today(),
    )


def test_a_visit_prefills_the_form_and_links_the_appeal(aw, login):
    visit = make_visit(aw)
    client = login(aw.users["grid_worker_1"])
    page = client.get(URL + f"?visit={visit.pk}").content.decode()
    assert "想在楼下装个扶手" in page
    assert re.search(r'value="visit"[^>]* checked', page)
    assert f'value="{aw.residents["zhang"].pk}" checked' in page
    resp = client.post(URL, form(text=visit.need, channel=Channel.VISIT, visit=visit.pk, reporter=visit.resident_id))
    assert resp.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.visit == visit and appeal.reporter == visit.resident and appeal.channel == Channel.VISIT
    assert list(visit.appeals.all()) == [appeal]


def test_a_visit_outside_the_grid_is_not_found(aw, login):
    visit = make_visit(aw)
    client = login(aw.users["grid_worker_2"])
    assert client.get(URL + f"?visit={visit.pk}").status_code == 404
    resp = client.post(URL, form(reporter_name="x", address="小区", visit=visit.pk))
    assert resp.status_code == 404 and not Appeal.objects.exists()


def test_register_and_dispatch_sends_it_to_the_category_default(aw, login):
    client = login(aw.users["secretary"])
    resp = client.post(
        URL,
        form(reporter_name="王阿姨", building=aw.buildings["b1"].pk, category=aw.category("corridor_light").pk)
        | {"and_dispatch": "1", "d-dispatch_unit": "", "d-dispatch_note": "请今天处理"},
    )
    assert resp.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.status == Status.PENDING_SIGN and appeal.assigned_org == aw.orgs["property"]
    assert [e.action for e in appeal.events.all()] == [EventAction.CREATED, EventAction.DISPATCHED]
    msg = client.get(resp.url).content.decode()
    assert f"诉求已登记，编号 {appeal.number}，已派单给东一物业服务中心" in msg


def test_register_and_dispatch_needs_a_category_and_creates_nothing_without_one(aw, login):
    client = login(aw.users["secretary"])
    resp = client.post(URL, form(reporter_name="王阿姨", building=aw.buildings["b1"].pk) | {"and_dispatch": "1"})
    assert resp.status_code == 400 and "派单前请选择问题类别" in resp.content.decode()
    assert not Appeal.objects.exists()


def test_register_and_dispatch_to_an_unbound_unit_creates_nothing(aw, login):
    client = login(aw.users["secretary"])
    resp = client.post(
        URL,
        form(reporter_name="王阿姨", building=aw.buildings["b1"].pk, category=aw.category("tree").pk)
        | {"and_dispatch": "1"},
    )
    assert resp.status_code == 400 and "还没有设置“园林绿化”的承办机构" in resp.content.decode()
    assert not Appeal.objects.exists()


def test_a_grid_worker_cannot_dispatch_from_the_intake_screen(aw, login):
    client = login(aw.users["grid_worker_1"])
    resp = client.post(
        URL,
        form(reporter_name="王阿姨", building=aw.buildings["b1"].pk, category=aw.category("corridor_light").pk)
        | {"and_dispatch": "1"},
    )
    assert resp.status_code == 302
    assert Appeal.objects.get().status == Status.PENDING_DISPATCH


def test_the_reporter_search_returns_residents_in_scope_with_masked_phones(aw, login):
    client = login(aw.users["grid_worker_1"])
    html = client.get(reverse("appeals:intake_reporter_search"), {"reporter_q": "张"}).content.decode()
    assert "张三" in html and "138****5678" in html and "13812345678" not in html
    html = client.get(reverse("appeals:intake_reporter_search"), {"reporter_q": "王"}).content.decode()
    assert "王五" not in html
    assert login(aw.users["dept_handler"]).get(reverse("appeals:intake_reporter_search")).status_code == 403


def test_handlers_and_residents_cannot_open_the_intake_screen(aw, login):
    assert login(aw.users["dept_handler"]).get(URL).status_code == 403
    assert login(aw.users["resident"]).get(URL).status_code == 403


def test_a_visit_with_a_need_offers_to_become_an_appeal_then_links_to_it(aw, login):
    visit = make_visit(aw)
    make_visit(aw, need="")  # a visit without a need offers nothing
    client = login(aw.users["grid_worker_1"])
    resident_page = reverse("residents:resident_detail", args=[visit.resident_id])
    visit_form = reverse("visits:visit_log", args=[visit.resident_id])
    link = f"/appeals/new/?visit={visit.pk}"
    for page in (resident_page, visit_form):
        html = client.get(page).content.decode()
        assert html.count(">转为诉求</a>") == 1 and link in html
    resp = client.post(URL, form(text=visit.need, channel=Channel.VISIT, visit=visit.pk, reporter=visit.resident_id))
    appeal = Appeal.objects.get()
    for page in (resident_page, visit_form):
        html = client.get(page).content.decode()
        assert link not in html
        assert appeal.number in html and resp.url in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_a_secretary_picks_the_reporter_as_they_type_and_registers_and_dispatches(
    aw, live_server, chromium
):
    from linli.testing import PASSWORD

    page = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{URL}")
    page.fill("#id_text", "电梯坏了，老人下不了楼")
    zhang = aw.residents["zhang"]
    page.fill("#intake-reporter-q", "张")
    page.check(f"#reporter-{zhang.pk}")  # htmx swapped the results in
    page.check("input[name=channel][value=phone]")
    page.select_option("#id_category", str(aw.category("lift").pk))
    page.click("summary:has-text('登记并派单')")
    page.click("button[name=and_dispatch]")
    page.wait_for_url("**/appeals/*/")
    appeal = Appeal.objects.get()
    assert f"诉求已登记，编号 {appeal.number}" in page.content()
    assert appeal.reporter == zhang and appeal.status == Status.PENDING_SIGN
    assert errors == []
