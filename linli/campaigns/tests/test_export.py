"""The department's own column layout: saved per campaign, written in that order, ID numbers masked unless a role
that may reveal them asks, the export recorded."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from linli.campaigns import services
from linli.campaigns.testing import make_campaign, target_of
from linli.core.audit import actor_of
from linli.core.models import ExportRecord

pytestmark = pytest.mark.django_db

LAYOUT = [
    {"header": "序号后的姓名", "field": "name"},
    {"header": "公民身份号码", "field": "id_number"},
    {"header": "认证结果", "field": "outcome"},
    {"header": "经办人", "field": "recorded_by"},
    {"header": "待遇类别", "field": "row:待遇类别"},
]


def _rows(response):
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_export_follows_the_saved_layout(world, client):
    campaign = make_campaign(world.communities["e1"])
    zhang = target_of(campaign, world.residents["zhang"])
    zhang.source_row = {"待遇类别": "城乡居民"}
    zhang.save(update_fields=["source_row"])
    services.record_outcome(zhang, "online", actor=actor_of(world.users["grid_worker_1"]))
    services.save_export_columns(campaign, LAYOUT, actor=actor_of(world.users["staff"]))
    client.force_login(world.users["staff"])
    rows = _rows(client.get(reverse("campaigns:campaign_export", args=[campaign.pk]) + "?state=done"))
    number = world.residents["zhang"].reveal_id_number()
    assert rows == [
        ["序号后的姓名", "公民身份号码", "认证结果", "经办人", "待遇类别"],
        ["张三", number[:6] + "********" + number[-4:], "已线上自助完成", "grid_worker_1", "城乡居民"],
    ]
    record = ExportRecord.objects.get()
    assert (record.kind, record.row_count, record.masked) == ("campaign_xlsx", 1, True)


def test_full_id_numbers_only_for_roles_that_may_reveal_them(world, client):
    campaign = make_campaign(world.communities["e1"])
    services.save_export_columns(campaign, LAYOUT[:2], actor=actor_of(world.users["secretary"]))
    client.force_login(world.users["staff"])
    assert client.get(reverse("campaigns:campaign_export", args=[campaign.pk]) + "?reveal=1").status_code == 403
    client.force_login(world.users["secretary"])
    rows = _rows(client.get(reverse("campaigns:campaign_export", args=[campaign.pk]) + "?reveal=1&q=张三"))
    assert rows[1] == ["张三", world.residents["zhang"].reveal_id_number()]
    assert ExportRecord.objects.get().masked is False


def test_a_bad_layout_is_refused_in_chinese(world):
    campaign = make_campaign(world.communities["e1"])
    with pytest.raises(ValidationError) as exc:
        services.save_export_columns(
            campaign,
            [
                {"header": "姓名", "field": "name"},
                {"header": "姓名", "field": "salary"},
                {"header": "", "field": "age"},
            ],
            actor=actor_of(world.users["staff"]),
        )
    assert exc.value.messages == ["列名“姓名”重复了。", "第2列“姓名”：请选择这一列填什么内容。", "第3列没有填写列名。"]
    campaign.refresh_from_db()
    assert campaign.export_columns == []


def test_the_columns_page_saves_the_layout(world, client):
    campaign = make_campaign(world.communities["e1"])
    client.force_login(world.users["staff"])
    page = client.get(reverse("campaigns:campaign_columns", args=[campaign.pk]))
    assert "按部门的表格导出" in page.content.decode()
    response = client.post(
        reverse("campaigns:campaign_columns", args=[campaign.pk]),
        {"header": ["姓名", "结果", ""], "field": ["name", "outcome", ""]},
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.export_columns == [{"header": "姓名", "field": "name"}, {"header": "结果", "field": "outcome"}]


def test_a_grid_worker_cannot_export(world, client):
    campaign = make_campaign(world.communities["e1"])
    client.force_login(world.users["grid_worker_1"])
    assert client.get(reverse("campaigns:campaign_export", args=[campaign.pk])).status_code == 403
