"""The printable door-knocking ledger: one A4 sheet per building, only what the role may see."""

import datetime
import re

import pytest
from django.urls import reverse

from linli.core.models import ExportRecord
from linli.ledgers.tests.test_export import weaken
from linli.residents.models import Resident
from linli.testing import make_building, make_resident

pytestmark = pytest.mark.django_db

B1 = ("张三", "李四", "陈奶奶")
OUTSIDE_B1 = ("王五", "赵六", "孙七")


def print_building(client, building):
    return client.get(reverse("ledgers:print_building", args=[building.pk]))


def print_grid(client, grid):
    return client.get(reverse("ledgers:print_grid", args=[grid.pk]))


@pytest.mark.parametrize(
    "persona, building_status, grid_status",
    [
        ("street_admin", 200, 200),
        ("secretary", 200, 200),
        ("staff", 200, 200),
        ("grid_worker_1", 200, 200),
        ("grid_worker_2", 404, 404),  # the other grid of the same community
        ("dept_handler", 403, 403),
        ("volunteer", 403, 403),
        ("resident", 403, 403),
        ("nobody", 404, 404),  # may view residents, but is assigned nowhere
    ],
)
def test_who_may_print_building_1_and_grid_1(world, login, persona, building_status, grid_status):
    client = login(world.users[persona])
    response = print_building(client, world.buildings["b1"])
    assert response.status_code == building_status
    if building_status == 200:
        page = response.content.decode()
        assert all(name in page for name in B1)
        assert not any(name in page for name in OUTSIDE_B1)
    assert print_grid(client, world.grids["g1"]).status_code == grid_status
    assert ExportRecord.objects.filter(user=world.users[persona]).count() == (2 if building_status == 200 else 0)


@pytest.mark.parametrize("persona", ["street_admin", "secretary", "grid_worker_1"])
def test_another_communitys_or_streets_buildings_are_not_found(world, login, persona):
    client = login(world.users[persona])
    assert print_building(client, world.buildings["b4"]).status_code == 404  # 西街
    assert print_grid(client, world.grids["g4"]).status_code == 404
    if persona != "street_admin":
        assert print_building(client, world.buildings["b3"]).status_code == 404  # 东二社区
        assert print_grid(client, world.grids["g3"]).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(world, client):
    response = print_building(client, world.buildings["b1"])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_building_sheet_has_title_grid_date_counts_and_rooms_in_order(world, login):
    response = print_building(login(world.users["grid_worker_1"]), world.buildings["b1"])
    page = response.content.decode()
    assert "东一社区 1栋 居民台账" in page
    assert "网格：东一第1网格" in page and "打印日期：" in page
    sheet = response.context["pages"][0]
    assert sheet["people"] == 3 and sheet["households"] == 3
    assert sheet["tag_counts"] == ["60岁以上老人2户", "独居老人2户", "残疾人1户"]
    assert [e["number"] for e in sheet["entrances"]] == [1, 2]
    assert [(room["room"], [r.name for r in room["people"]]) for room in sheet["entrances"][0]["rooms"]] == [
        ("101", ["张三"]),
        ("201", ["陈奶奶"]),
    ]
    # entrance 1 (101, 201) before entrance 2 (502)
    assert page.index("张三") < page.index("陈奶奶") < page.index("李四")
    for column in ("姓名", "性别", "年龄", "电话", "关系", "人员类别", "走访记录"):
        assert f"<th>{column}</th>" in page
    assert "13812345678" in page  # grid workers may see phones in full
    # ID numbers are never printed, not even masked
    assert world.residents["zhang"].id_masked not in page


def test_household_members_are_listed_head_first(world, login):
    make_resident(world.buildings["b1"], "张小宝", room="101", seq=30, relation="child", born=datetime.date(2015, 1, 1))
    make_resident(world.buildings["b1"], "王阿姨", room="101", seq=31, relation="spouse")
    Resident.objects.filter(pk=world.residents["zhang"].pk).update(relation="head")
    response = print_building(login(world.users["secretary"]), world.buildings["b1"])
    room = response.context["pages"][0]["entrances"][0]["rooms"][0]
    assert [r.name for r in room["people"]] == ["张三", "王阿姨", "张小宝"]
    assert 'rowspan="3"' in response.content.decode()


def test_a_grid_prints_each_of_its_buildings_on_its_own_sheet(world, login):
    b5 = make_building(world.communities["e1"], world.grids["g1"], 5)
    make_resident(b5, "周八", room="301", seq=40)
    response = print_grid(login(world.users["grid_worker_1"]), world.grids["g1"])
    page = response.content.decode()
    titles = re.findall(r"<h2>(.*?)</h2>", page)
    assert titles == ["东一社区 1栋 居民台账", "东一社区 5栋 居民台账"]
    assert page.count('class="ledger-page"') == 2
    assert page.index("陈奶奶") < page.index("5栋 居民台账") < page.index("周八")
    assert not any(name in page for name in OUTSIDE_B1)
    record = ExportRecord.objects.get()
    assert record.kind == "print_ledger" and record.row_count == 4 and record.masked
    assert record.filters == {"grid": {"id": world.grids["g1"].pk, "name": "东一第1网格"}}


def test_residents_who_moved_out_are_not_printed(world, login):
    Resident.objects.filter(pk=world.residents["li"].pk).update(status="moved_out")
    page = print_building(login(world.users["secretary"]), world.buildings["b1"]).content.decode()
    assert "李四" not in page and "张三" in page


def test_phones_are_masked_for_a_role_that_may_not_see_them(world, login, monkeypatch):
    weaken(monkeypatch, "grid_worker", "resident.reveal_phone")
    page = print_building(login(world.users["grid_worker_1"]), world.buildings["b1"]).content.decode()
    assert "138****5678" in page and "13812345678" not in page


def test_sensitive_care_groups_are_left_out_for_a_role_that_may_not_see_them(world, login, monkeypatch):
    client = login(world.users["grid_worker_1"])
    assert "残疾人" in print_building(client, world.buildings["b1"]).content.decode()
    weaken(monkeypatch, "grid_worker", "resident.view_sensitive")
    response = print_building(client, world.buildings["b1"])
    assert "残疾人" not in response.content.decode()
    assert response.context["pages"][0]["tag_counts"] == ["60岁以上老人2户", "独居老人2户"]


def test_the_print_button_uses_the_static_script_and_the_print_stylesheet(world, login):
    page = print_building(login(world.users["staff"]), world.buildings["b1"]).content.decode()
    assert "data-print" in page and "onclick" not in page
    assert "/static/linli/print.css" in page
    assert "<script>" not in page and "style=" not in page  # the CSP forbids inline script and style


def test_printing_a_grid_takes_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.users["street_admin"])
    for i in range(20):
        make_resident(world.buildings["b1"], f"新居民{i}", room="401", seq=50 + i, tags=["elderly60", "disabled"])
    with django_assert_max_num_queries(13):  # 12 for the sheets, 1 for the header's unread badge
        response = print_grid(client, world.grids["g1"])
    assert response.context["pages"][0]["people"] == 23


def test_an_empty_grid_prints_a_note_not_an_error(world, login):
    from linli.areas.models import Grid

    empty = Grid.objects.create(community=world.communities["e1"], number=9, name="东一第9网格")
    response = print_grid(login(world.users["secretary"]), empty)
    assert response.status_code == 200 and "还没有楼栋" in response.content.decode()


@pytest.fixture
def printed(world, login):
    """Building 1 and grid 1 (building 1, then an empty building 5) as served to grid worker 1.

    Rendered before the browser starts: Playwright's event loop would reach the test database
    through another connection, which SQLite's in-memory test database keeps locked.
    """
    for i in range(40):  # enough people to fill more than one sheet
        make_resident(world.buildings["b1"], f"居民{i}", room=f"{i % 6 + 1}0{i % 2 + 1}", seq=i + 10)
    make_building(world.communities["e1"], world.grids["g1"], 5)
    client = login(world.users["grid_worker_1"])
    urls = [
        reverse("ledgers:print_building", args=[world.buildings["b1"].pk]),
        reverse("ledgers:print_grid", args=[world.grids["g1"].pk]),
    ]
    return {url: client.get(url) for url in urls}


@pytest.mark.browser
def test_in_a_browser_each_building_starts_a_new_a4_sheet_with_no_csp_violation(printed, chromium):
    import mimetypes

    from django.contrib.staticfiles import finders

    origin, outside = "http://localhost", []

    def handle(route):
        path = route.request.url.removeprefix(origin)
        if path in printed:
            response = printed[path]
            return route.fulfill(status=200, headers=dict(response.items()), body=response.content)
        found = path.startswith("/static/") and finders.find(path.removeprefix("/static/"))
        if found:
            with open(found, "rb") as f:
                return route.fulfill(status=200, content_type=mimetypes.guess_type(found)[0], body=f.read())
        outside.append(route.request.url)
        return route.fulfill(status=599, body="")

    page = chromium.new_page()
    page.route("**/*", handle)
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        " window.__printed = 0; window.print = () => { window.__printed += 1; };"
    )
    sheets = []
    for url in printed:
        page.emulate_media(media="screen")
        page.goto(origin + url)
        page.click("button[data-print]")
        assert page.evaluate("window.__printed") == 1
        assert page.evaluate("window.__csp") == [] and outside == []
        page.emulate_media(media="print")
        assert not page.is_visible(".topbar") and not page.is_visible("button[data-print]")
        # 11-digit phones stay on one line at the large print size
        assert page.evaluate(
            "[...document.querySelectorAll('td.ledger-phone')].every(td => td.scrollWidth <= td.clientWidth)"
        )
        pdf = page.pdf(prefer_css_page_size=True)
        assert re.search(rb"/MediaBox \[0 0 59[45]\.\d+ 841\.\d+\]", pdf)  # A4 portrait, in points
        sheets.append(len(re.findall(rb"/Type\s*/Page[^s]", pdf)))
    building_1, grid_1 = sheets
    assert building_1 >= 2  # 43 people: the table runs on, its header repeated
    assert grid_1 == building_1 + 1  # building 5, with nobody in it, still starts a sheet of its own
