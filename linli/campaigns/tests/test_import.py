"""A department's sheet in: matched by ID number or by name and address, who could not be matched reported by row
and reason before anything is added, the sheet's own columns kept (ID numbers masked), nothing half-written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from linli.campaigns import importer, services
from linli.campaigns.models import CampaignImportJob, CampaignTarget
from linli.campaigns.testing import make_campaign
from linli.core.audit import actor_of
from linli.notices.audience import Audience
from linli.residents.idcard import make_id_number

pytestmark = pytest.mark.django_db

HEADER = ["序号", "姓名", "公民身份号码", "住址", "待遇类别"]


def _id(world, key):
    # linli.testing builds each ID number from ("420107", birth date, seq, sex)
    return world.residents[key].reveal_id_number()


def _sheet(rows, header=HEADER) -> bytes:
    book = Workbook()
    book.active.append(["2026年养老保险待遇资格认证名单（区人社局）"])
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(world):
    return [
        [1, "张三", _id(world, "zhang"), "", "城乡居民"],  # by ID number
        [2, "陈奶奶", "", "1栋1单元201", "城乡居民"],  # by name and address
        [3, "王五", _id(world, "wang"), "2栋1单元301", "城乡居民"],  # by ID (address also given)
        [4, "钱八", make_id_number("420107", __import__("datetime").date(1940, 1, 1), 99, "M"), "", "城乡居民"],
        [5, "李四", "4201071950", "", "城乡居民"],  # malformed ID
        [6, "周九", "", "1栋1单元101", "城乡居民"],  # nobody of that name there
        [7, "赵六", "", "9栋1单元101", "城乡居民"],  # no such building in 东一
        [8, "张三", _id(world, "zhang"), "", "城乡居民"],  # twice in the sheet
        [9, "李四", _id(world, "zhang"), "", "城乡居民"],  # ID of someone else
    ]


def _check(world, campaign, rows=None):
    table = importer.read_people(io.BytesIO(_sheet(rows or _rows(world))), "名单.xlsx")
    mapping = importer.detect(table.headers)
    return table, mapping, importer.check(table, mapping, campaign, user=world.users["staff"])


def test_the_check_matches_by_id_or_by_name_and_address_and_reports_the_rest(world):
    campaign = make_campaign(
        world.communities["e1"],
        start=False,
        audience=Audience(community_id=world.communities["e1"].pk, building_ids=(world.buildings["b2"].pk,)),
    )  # 王五 is on the list already
    _, mapping, (report, found) = _check(world, campaign)
    assert sorted(mapping.values()) == ["address", "id_number", "name"]
    assert (report.rows, report.matched, report.by_id, report.by_address) == (9, 4, 3, 1)
    assert set(found) == {world.residents["zhang"].pk, world.residents["chen"].pk}
    assert report.created == 2 and report.skipped == 2  # 王五 already listed, 张三 twice
    reasons = {e.row: e.message for e in report.errors}
    assert sorted(reasons) == [6, 7, 8, 9, 11]  # Excel rows (title and header above)
    assert reasons[6] == "本社区居民库中没有这个身份证号（可能已迁出或未登记）"
    assert reasons[7].startswith("身份证号“") and "格式不对" in reasons[7]
    assert reasons[8] == "这户没有叫“周九”的在册居民"
    assert "找不到本社区的楼栋" in reasons[9]
    assert reasons[11] == "身份证号对应的居民是“张三”，与姓名“李四”不一致"
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 1  # a check writes nothing


def test_the_commit_adds_the_matched_rows_with_their_own_columns_and_masked_ids(world):
    campaign = make_campaign(
        world.communities["e1"],
        start=False,
        audience=Audience(community_id=world.communities["e1"].pk, building_ids=(world.buildings["b2"].pk,)),
    )
    table, mapping, _ = _check(world, campaign)
    report = services.commit_import(table, mapping, campaign, actor=actor_of(world.users["staff"]))
    assert (report.created, report.rejected, report.dry_run) == (2, 5, False)
    campaign.refresh_from_db()
    assert (campaign.target_count, campaign.source) == (3, "import")
    zhang = CampaignTarget.objects.get(campaign=campaign, resident=world.residents["zhang"])
    number = _id(world, "zhang")
    assert zhang.source_row == {
        "序号": "1",
        "姓名": "张三",
        "公民身份号码": number[:6] + "********" + number[-4:],
        "待遇类别": "城乡居民",
    }
    assert number not in str(CampaignTarget.objects.values_list("source_row", flat=True))


def test_a_commit_that_fails_half_way_writes_nothing(world, monkeypatch):
    campaign = make_campaign(
        world.communities["e1"],
        start=False,
        audience=Audience(community_id=world.communities["e1"].pk, building_ids=(world.buildings["b2"].pk,)),
    )
    table, mapping, _ = _check(world, campaign)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "recount", broken)
    with pytest.raises(RuntimeError):
        services.commit_import(table, mapping, campaign, actor=actor_of(world.users["staff"]))
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 1


def test_a_sheet_without_the_needed_columns_is_refused_in_chinese(world):
    campaign = make_campaign(world.communities["e1"], start=False)
    table = importer.read_people(io.BytesIO(_sheet([["张三", "城乡居民"]], header=["姓名", "类别"])), "x.xlsx")
    with pytest.raises(importer.CampaignFileError) as exc:
        importer.check(table, importer.detect(table.headers), campaign, user=world.users["staff"])
    assert str(exc.value).startswith("缺少必需的列：身份证号或地址。")
    with pytest.raises(importer.CampaignFileError) as exc:
        importer.read_people(io.BytesIO(b"hello"), "x.txt")
    assert str(exc.value) == "只能导入 Excel（.xlsx、.xls）或 CSV 文件。"


def test_upload_check_and_commit_through_the_pages(world, client):
    campaign = make_campaign(
        world.communities["e1"],
        start=False,
        audience=Audience(community_id=world.communities["e1"].pk, building_ids=(world.buildings["b2"].pk,)),
    )
    client.force_login(world.users["staff"])
    upload = SimpleUploadedFile("认证名单.xlsx", _sheet(_rows(world)))
    response = client.post(reverse("campaigns:import_upload", args=[campaign.pk]), {"file": upload})
    job = CampaignImportJob.objects.get(campaign=campaign)
    assert response.status_code == 302
    page = client.get(reverse("campaigns:import_detail", args=[job.pk]))
    assert "列的对应关系" in page.content.decode()
    mapping = {f"col_{i}": v for i, v in job.mapping.items()}
    form = page.context["mapping_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    client.post(reverse("campaigns:import_run", args=[job.pk]), data)
    job.refresh_from_db()
    assert job.status == "validated", job.message
    text = client.get(reverse("campaigns:import_detail", args=[job.pk])).content.decode()
    assert "未匹配的行" in text and "这户没有叫“周九”的在册居民" in text
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 1
    client.post(reverse("campaigns:import_run", args=[job.pk]), {"action": "commit"})
    job.refresh_from_db()
    assert job.status == "done" and not job.file
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 3
    assert mapping  # the detected mapping was offered


def test_a_grid_worker_cannot_import(world, client):
    campaign = make_campaign(world.communities["e1"], start=False)
    client.force_login(world.users["grid_worker_1"])
    upload = SimpleUploadedFile("认证名单.xlsx", _sheet(_rows(world)))
    assert client.post(reverse("campaigns:import_upload", args=[campaign.pk]), {"file": upload}).status_code == 403
    assert not CampaignImportJob.objects.exists()
