"""共建单位: the community confirms a 双报到 unit with a change record; the list filters; the yearly summary
shows what linli.party.service counts, printable and as a masked, logged Excel file."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from linli.core.audit import history_of
from linli.core.models import ExportRecord
from linli.party import services
from linli.party.choices import ExportKind, Review
from linli.party.models import PartnerUnit
from linli.party.service import unit_figures
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(pw):
    unit = PartnerUnit(
        community=pw.communities["e1"],
        name="东一医院",
        kind="hospital",
        dual_registered=True,
        review=Review.PENDING,
    )
    return services.save_unit(unit, actor=SYSTEM)


def review(client, unit, **data):
    return client.post(reverse("party:unit_review", args=[unit.pk]), data)


def test_the_community_confirms_a_pending_unit_with_a_change_record(pw, client, pending):
    client.force_login(pw.users["secretary"])
    response = review(client, pending, decision="confirm", note="材料齐全")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.review, pending.reviewed_by) == (Review.CONFIRMED, pw.users["secretary"])
    assert pending.registered_on is not None
    record = history_of(pending).get(actor=pw.users["secretary"])
    assert record.note == "材料齐全" and record.changes["确认状态"] == ["待确认", "已确认"]


def test_a_rejection_needs_a_reason_and_changes_nothing_without_it(pw, client, pending):
    client.force_login(pw.users["secretary"])
    response = review(client, pending, decision="reject")
    assert "不通过时请写明原因" in client.get(response.url).content.decode()
    pending.refresh_from_db()
    assert pending.review == Review.PENDING
    review(client, pending, decision="reject", note="缺少单位党组织证明")
    pending.refresh_from_db()
    assert pending.review == Review.REJECTED


def test_a_unit_review_is_for_the_party_work_roles_over_the_unit(pw, client, pending):
    client.force_login(pw.users["grid_worker_1"])  # a branch secretary: no party-work role
    assert review(client, pending, decision="confirm").status_code == 403
    client.force_login(pw.users["street_admin"])
    assert review(client, pw.units["w1"], decision="confirm").status_code == 404
    pending.refresh_from_db()
    assert pending.review == Review.PENDING


def test_the_unit_list_filters_by_review_kind_and_committee(pw, client, pending):
    client.force_login(pw.users["secretary"])

    def names(**params):
        response = client.get(reverse("party:unit_list"), params)
        return [u.name for u in response.context["page"]]

    assert names() == ["东一税务所", "东一医院"]
    assert names(review="pending") == ["东一医院"]
    assert names(kind="government") == ["东一税务所"]
    assert names(in_committee="yes") == ["东一税务所"]
    response = client.get(reverse("party:unit_list"), {"community": pw.communities["w1"].pk})
    assert "不在您的管辖范围内" in response.content.decode()
    client.force_login(pw.users["street_admin"])
    assert "西一物业" not in names()


def test_the_yearly_summary_shows_what_the_service_counts(pw, client):
    liu = pw.members["e1_in_service"]
    pairing = services.pair(liu, pw.residents["chen"].household, actor=SYSTEM, started_on=datetime.date(2026, 2, 1))
    services.add_contact(pairing, actor=SYSTEM, contacted_on=datetime.date(2026, 3, 1), note="送药上门")
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:unit_summary", args=[pw.units["e1"].pk]), {"year": 2026})
    summary = response.context["summary"]
    [expected] = unit_figures([pw.units["e1"]], 2026)
    assert summary.total == expected.total
    assert (summary.total.members, summary.total.pairings, summary.total.contacts) == (1, 1, 1)
    assert (summary.total.meetings_attended, summary.total.meetings_expected) == (0, 1)
    html = response.content.decode()
    assert "社区党组织（盖章）" in html and "刘在职" in html
    last_year = client.get(reverse("party:unit_summary", args=[pw.units["e1"].pk]), {"year": 2025})
    assert last_year.context["summary"].total.pairings == 0


def test_the_summary_downloads_masked_and_is_logged(pw, client):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:unit_summary_export", args=[pw.units["e1"].pk]), {"year": 2026})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "刘在职" in cells
    assert "13911112233" not in cells and any(c.startswith("139") and "*" in c for c in cells)
    record = ExportRecord.objects.get(kind=ExportKind.UNIT_SUMMARY)
    assert (record.user, record.row_count, record.filters["year"]) == (pw.users["secretary"], 1, 2026)
    assert "工作单位：东一税务所" in record.filters_text  # the export log names the unit in words


def test_the_summary_download_is_for_party_export_only(pw, client):
    client.force_login(pw.users["grid_worker_1"])
    assert client.get(reverse("party:unit_summary_export", args=[pw.units["e1"].pk])).status_code == 403
    client.force_login(pw.users["secretary"])
    assert client.get(reverse("party:unit_summary_export", args=[pw.units["w1"].pk])).status_code == 404
    assert not ExportRecord.objects.exists()


def test_the_unit_page_lists_its_in_service_members(pw, client):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:unit_detail", args=[pw.units["e1"].pk]))
    assert [m.name for m in response.context["members"]] == ["刘在职"]
    assert response.context["review_form"] is None  # confirmed already
