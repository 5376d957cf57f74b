"""心愿统计: counts by claimer and by month, on the page and in the .xlsx."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from linli.wishes import services
from linli.wishes.report import build_report
from linli.wishes.testing import jpeg, new_wish

pytestmark = pytest.mark.django_db


def scenario(ww):
    e1 = ww.communities["e1"]
    w1 = new_wish(e1, title="第二个心愿")
    w2 = new_wish(e1, title="第三个心愿")
    services.claim_wish(ww.wishes["e1"], actor=ww.actor("volunteer"))
    services.confirm_fulfilment(ww.wishes["e1"], actor=ww.actor("staff"), photos=[jpeg()])
    services.claim_wish(w1, actor=ww.actor("volunteer"))
    services.release_claim(w1, actor=ww.actor("volunteer"), reason="来不及")
    services.claim_wish(w1, actor=ww.actor("volunteer2"))
    services.claim_wish(w2, actor=ww.actor("staff"), claimer=ww.claimers["bank"])


def test_counts_by_claimer_and_month(ww):
    scenario(ww)
    now = timezone.localtime()
    report = build_report(ww.users["staff"], now.year)
    rows = {c.name: (c.claimed, c.released, c.fulfilled) for c in report.claimers}
    assert rows == {"夏党员": (2, 1, 1), "钱党员": (1, 0, 0), "东一银行党支部": (1, 0, 0)}
    month = report.months[now.month - 1]
    assert month == (now.month, 3, 4, 1)
    assert report.totals == (3, 4, 1)
    # 西一社区's staff count their own community only.
    assert build_report(ww.users["w1_staff"], now.year).claimers == []


def test_the_report_page_and_its_excel(ww, client):
    scenario(ww)
    client.force_login(ww.users["secretary"])
    response = client.get(reverse("wishes:wish_report"))
    assert response.status_code == 200 and "夏党员" in response.content.decode()
    response = client.get(reverse("wishes:wish_report") + "?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    by_claimer = book.get_sheet_by_name("按认领人").to_python()
    assert by_claimer[0][0] == "认领人" and by_claimer[1][0] == "夏党员"
    by_month = book.get_sheet_by_name("按月份").to_python()
    assert by_month[-1][0] == "合计" and by_month[-1][1:] == [3, 4, 1]


def test_the_report_download_is_never_cached(ww, client):
    scenario(ww)
    client.force_login(ww.users["secretary"])
    response = client.get(reverse("wishes:wish_report"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"  # claimers' names
    assert 'filename="wishes-' in response["Content-Disposition"]


def test_the_excel_download_is_recorded_with_its_year_and_claimer_rows(ww, client):
    from linli.core.models import ExportRecord

    scenario(ww)
    client.force_login(ww.users["secretary"])
    client.get(reverse("wishes:wish_report"))
    assert not ExportRecord.objects.exists()  # the page alone is not an export
    year = timezone.localdate().year
    assert client.get(reverse("wishes:wish_report"), {"year": year, "export": "xlsx"}).status_code == 200
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.row_count) == (ww.users["secretary"], "wishes_report", 3)
    assert record.filters == {"year": year}


def test_a_refused_wish_report_download_records_nothing(ww, client):
    from linli.core.models import ExportRecord

    client.force_login(ww.users["secretary"])
    for year in ("abc", "1999", "99999999999999999999"):
        response = client.get(reverse("wishes:wish_report"), {"year": year, "export": "xlsx"}, follow=True)
        assert response.status_code == 200 and "年份不对" in response.content.decode(), year
    page = client.get(reverse("wishes:wish_report"), {"year": "abc"})  # the page falls back to this year
    assert page.status_code == 200 and f"{timezone.localdate().year}年" in page.content.decode()
    client.force_login(ww.users["grid_worker_1"])
    assert client.get(reverse("wishes:wish_report"), {"export": "xlsx"}).status_code == 403
    assert not ExportRecord.objects.exists()
