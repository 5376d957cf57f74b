"""导出记录: secretaries and the street read the exports of their area's accounts; nobody else opens it."""

import pytest
from django.urls import reverse

from linli.accounts.choices import Role
from linli.core.excel.exports import record_export
from linli.ledgers.choices import ExportKind
from linli.lovebank.choices import ExportKind as LovebankExport
from linli.testing import make_user
from linli.volunteers.choices import ExportKind as VolunteerExport
from linli.wishes.choices import ExportKind as WishExport

pytestmark = pytest.mark.django_db

URL = "ledgers:export_log"


@pytest.fixture
def exports(world):
    e2_staff = make_user("e2_staff", Role.STAFF, world.communities["e2"])
    w1_staff = make_user("w1_staff", Role.STAFF, world.communities["w1"])
    community = world.communities["e1"]
    return {
        "staff": record_export(
            world.users["staff"],
            VolunteerExport.VOLUNTEER_HOURS_XLSX,
            filters={"start": "2025-01-01", "end": "2025-12-31"},
            row_count=12,
        ),
        "grid": record_export(
            world.users["grid_worker_1"], ExportKind.PRINT_LEDGER, filters={"community": community}, row_count=3
        ),
        "e2": record_export(e2_staff, LovebankExport.LOVEBANK_TOTALS, row_count=13),
        "w1": record_export(w1_staff, WishExport.WISHES_REPORT, filters={"year": 2025}, row_count=4),
        "street": record_export(world.users["street_admin"], ExportKind.RESIDENTS_XLSX, row_count=800, masked=False),
    }


def shown(response) -> set[int]:
    assert response.status_code == 200
    return {r.pk for r in response.context["page"]}


def test_a_secretary_sees_the_exports_of_their_communitys_accounts(world, login, exports):
    response = login(world.users["secretary"]).get(reverse(URL))
    assert shown(response) == {exports["staff"].pk, exports["grid"].pk}
    page = response.content.decode()
    assert "志愿服务时长 Excel" in page and "开始日期：2025-01-01；结束日期：2025-12-31" in page
    assert "社区：东一社区" in page and "staff" in page and ">12<" in page
    assert "e2_staff" not in page and "w1_staff" not in page  # another community; another street


def test_the_street_admin_sees_their_streets_accounts_and_not_the_other_street(world, login, exports):
    response = login(world.users["street_admin"]).get(reverse(URL))
    assert shown(response) == {exports[k].pk for k in ("staff", "grid", "e2", "street")}
    assert "完整" in response.content.decode()  # the unmasked export stands out


def test_the_log_filters_by_what_was_exported_and_names_a_bad_value(world, login, exports):
    client = login(world.users["street_admin"])
    assert shown(client.get(reverse(URL), {"kind": "print_ledger"})) == {exports["grid"].pk}
    bad = client.get(reverse(URL), {"kind": "everything"})
    assert "筛选条件有误" in bad.content.decode() and len(shown(bad)) == 4


@pytest.mark.parametrize("persona", ["staff", "grid_worker_1", "dept_handler", "volunteer", "resident", "nobody"])
def test_roles_without_export_log_get_403(world, login, exports, persona):
    assert login(world.users[persona]).get(reverse(URL)).status_code == 403


def test_the_menu_links_the_log_for_secretaries_only(world, login):
    assert "导出记录" in login(world.users["secretary"]).get(reverse("core:home")).content.decode()
    assert "导出记录" not in login(world.users["staff"]).get(reverse("core:home")).content.decode()
