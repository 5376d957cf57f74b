"""The roster as Excel: the page's filter, phones masked, never an ID number, logged; only with party.export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from linli.core.models import ExportRecord

pytestmark = pytest.mark.django_db


def rows_of(response):
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_export_is_the_filtered_roster_masked_and_logged(client, pw):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:member_export") + f"?branch={pw.orgs['e1'].pk}")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    rows = rows_of(response)
    assert rows[0][:3] == ["社区", "姓名", "所在支部"]
    assert sorted(r[1] for r in rows[1:]) == ["刘在职", "李四"]
    text = str(rows)
    assert "139****2233" in text and "13911112233" not in text and "13987654321" not in text
    assert "身份证" not in text and pw.residents["li"].id_masked not in text
    record = ExportRecord.objects.get()
    assert (record.kind, record.row_count, record.masked, record.user) == (
        "party_members",
        2,
        True,
        pw.users["secretary"],
    )
    assert record.filters.get("branch")


def test_the_street_export_leaves_out_other_streets(client, pw):
    client.force_login(pw.users["street_admin"])
    names = [r[1] for r in rows_of(client.get(reverse("party:member_export")))[1:]]
    assert "李四" in names and "孙七" not in names


@pytest.mark.parametrize("persona", ["grid_worker_1", "staff", "resident"])
def test_without_party_export_there_is_no_export(client, pw, persona):
    client.force_login(pw.users[persona])
    assert client.get(reverse("party:member_export")).status_code == 403
    assert not ExportRecord.objects.exists()


def test_a_bad_filter_exports_nothing(client, pw):
    client.force_login(pw.users["secretary"])
    response = client.get(reverse("party:member_export") + f"?branch={pw.orgs['w1'].pk}")
    assert response.status_code == 302
    assert not ExportRecord.objects.exists()
