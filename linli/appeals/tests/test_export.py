"""The Excel export of a queue: same rows as the page, Chinese headers, phones masked by role, recorded."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from linli.appeals import services
from linli.appeals.choices import Outcome, Rating, ReplyMethod
from linli.appeals.exporter import EXPORT_KIND, HEADERS
from linli.appeals.models import Appeal
from linli.appeals.tests.conftest import new_appeal
from linli.core.models import ExportRecord
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db

EXPORT = reverse("appeals:appeal_export")


def sheet_of(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    return [dict(zip(HEADERS, row)) for row in rows[1:]]


def closed_appeal(aw):
    appeal = new_appeal(aw, text='=HYPERLINK("http://evil")楼道灯坏了')
    services.dispatch(appeal, aw.units["property"], actor=SYSTEM)
    services.sign(appeal, actor=SYSTEM)
    services.resolve(appeal, actor=SYSTEM, outcome=Outcome.SOLVED, resolution="换了灯泡")
    return services.reply(appeal, actor=SYSTEM, text="已修好", method=ReplyMethod.PHONE, rating=Rating.SATISFIED)


def test_it_exports_the_filtered_list_with_chinese_headers_and_every_column(aw, login):
    done = closed_appeal(aw)
    new_appeal(aw, building="b3")  # 东二社区: not the secretary's
    rows = sheet_of(login(aw.users["secretary"]).get(EXPORT, {"tab": "all"}))
    assert len(rows) == 1
    row = rows[0]
    assert row["编号"] == done.number
    assert row["诉求内容"].startswith("=HYPERLINK")  # text, never a formula
    assert row["来源渠道"] == "电话" and row["问题类别"] == "楼道照明" and row["紧急程度"] == "一般"
    assert row["地点"] == "东一社区 1栋"
    assert row["反映人"] == "王阿姨 13800001111"  # the secretary may see phones
    assert row["承办单位"] == aw.units["property"].name
    assert row["承办机构"] == "东一物业服务中心"
    assert row["状态"] == "已结案"
    assert isinstance(row["受理时间"], datetime.datetime) and isinstance(row["办结时间"], datetime.datetime)
    assert row["是否超期签收"] == "否" and row["是否超期办结"] == "否"
    assert row["办理结果"] == "已解决" and row["评价"] == "满意" and row["重办次数"] == 0
    record = ExportRecord.objects.get()
    assert record.kind == EXPORT_KIND and record.row_count == 1 and record.filters["tab"] == "all"


def test_it_exports_the_same_rows_as_the_tab_and_filter(aw, login):
    light = new_appeal(aw, text="楼道灯不亮")
    new_appeal(aw, text="下水道堵了")
    client = login(aw.users["staff"])
    rows = sheet_of(client.get(EXPORT, {"tab": "dispatch", "q": "楼道灯"}))
    assert [r["编号"] for r in rows] == [light.number]
    record = ExportRecord.objects.get()
    assert record.filters == {"tab": "dispatch", "q": "楼道灯"}


def test_a_handler_exports_their_own_queue_with_masked_phones(aw, login):
    mine = services.dispatch(new_appeal(aw), aw.units["property"], actor=SYSTEM)
    services.dispatch(new_appeal(aw, category="water_outage"), aw.units["water"], actor=SYSTEM)
    Appeal.objects.filter(pk=mine.pk).update(current_due=timezone.now() - datetime.timedelta(hours=1))
    Appeal.objects.filter(pk=mine.pk).update(sign_due=timezone.now() - datetime.timedelta(hours=1))
    rows = sheet_of(login(aw.users["dept_handler"]).get(EXPORT))
    assert [r["编号"] for r in rows] == [mine.number]
    assert rows[0]["反映人"] == "王阿姨 138****1111"
    assert rows[0]["是否超期签收"] == "是（尚未完成）"


def test_an_anonymous_reporter_stays_anonymous(aw, login):
    new_appeal(aw, anonymous=True)
    rows = sheet_of(login(aw.users["secretary"]).get(EXPORT, {"tab": "all"}))
    assert rows[0]["反映人"] == "匿名"


@pytest.mark.parametrize("persona", ["grid_worker_1", "volunteer", "resident"])
def test_it_refuses_the_export_to_roles_without_it(aw, login, persona):
    new_appeal(aw)
    assert login(aw.users[persona]).get(EXPORT).status_code == 403
    assert not ExportRecord.objects.exists()


def test_the_appeal_list_download_is_never_cached(aw, login):
    response = login(aw.users["secretary"]).get(EXPORT, {"tab": "all"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"  # reporters' names and phones
