"""One FieldNoteFilterSet for the 民情日记 page and its print and .xlsx ledger: the same query string (search, tag,
grid, month) gives the same notes on all three; the ledger is a month's, this month's when none is asked for.
A grid outside the scope is a message on the page and a 404 on the print ledger (it has no form)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.core.audit import Actor
from linli.core.models import ExportRecord
from linli.visits.services import create_note
from linli.visits.tests.test_ledgers import sheet, text_of

pytestmark = pytest.mark.django_db

TEXTS = ("南马道商户提议办读书会", "下水管堵了", "上个月的楼道堆物", "社区层面的安排")


@pytest.fixture
def notes(world):
    secretary = Actor(user=world.users["secretary"])
    first = timezone.localdate().replace(day=1)
    a, b, c, d = TEXTS
    create_note(actor=secretary, text=a, grid=world.grids["g1"], tags=["读书会"])
    create_note(actor=secretary, text=b, grid=world.grids["g2"], tags=["物业"])
    create_note(
        actor=secretary, text=c, grid=world.grids["g1"], tags=["物业"], written_on=first - datetime.timedelta(1)
    )
    create_note(actor=secretary, text=d)
    return first


def shown(body: str) -> set[str]:
    return {t for t in TEXTS if t in body}


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"month": "last"},
        {"grid": "g1"},
        {"grid": "g1", "month": "last"},
        {"tag": "物业", "month": "last"},
        {"tag": "物业"},
        {"q": "下水管"},
        {"q": "楼道", "month": "last"},
    ],
)
def test_the_diary_page_and_its_print_and_xlsx_ledger_show_the_same_notes(world, login, notes, query):
    this, last = f"{notes:%Y-%m}", f"{notes - datetime.timedelta(1):%Y-%m}"
    query = {**query, "month": last if query.get("month") == "last" else this}
    if "grid" in query:
        query["grid"] = world.grids[query["grid"]].pk
    client = login(world.users["secretary"])
    page = client.get(reverse("visits:diary_list"), query)
    assert page.status_code == 200 and not page.context["filter_errors"]
    on_page = {n.text for n in page.context["page"]}
    assert on_page and on_page == shown(page.content.decode())
    assert shown(client.get(reverse("visits:diary_ledger"), query).content.decode()) == on_page
    assert shown(text_of(sheet(client.get(reverse("visits:diary_ledger_xlsx"), query)))) == on_page
    if query.get("month") == this and "grid" not in query and "q" not in query and "tag" not in query:
        no_month = shown(client.get(reverse("visits:diary_ledger")).content.decode())
        assert no_month == on_page == set(TEXTS) - {TEXTS[2]}  # the ledger's month is this one by default


def test_the_page_offers_grid_and_month_and_its_print_link_keeps_the_query(world, login, notes):
    client = login(world.users["secretary"])
    body = client.get(reverse("visits:diary_list"), {"tag": "物业", "month": f"{notes:%Y-%m}"}).content.decode()
    assert 'name="grid"' in body and 'name="month"' in body and "东一第2网格" in body
    assert reverse("visits:diary_ledger") + "?tag=%E7%89%A9%E4%B8%9A&amp;month=" in body
    client.get(reverse("visits:diary_ledger"), {"tag": "物业"})
    record = ExportRecord.objects.get()
    assert record.filters["tag"] == "物业" and record.row_count == 1


def test_a_grid_outside_the_scope_is_a_message_on_the_page_and_a_404_on_the_ledger(world, login, notes):
    client = login(world.users["grid_worker_1"])
    other = {"grid": world.grids["g2"].pk}
    page = client.get(reverse("visits:diary_list"), other)
    assert page.status_code == 200 and "找不到这个网格，或不在您的管辖范围内。" in page.content.decode()
    assert client.get(reverse("visits:diary_ledger"), other).status_code == 404
    assert client.get(reverse("visits:diary_ledger_xlsx"), {"month": "2026-13"}).status_code == 404
    assert not ExportRecord.objects.exists()
