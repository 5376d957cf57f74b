"""The web import flow: upload, preview and mapping, dry run, commit; scope and refusals."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from linli.ledgers.models import ImportJob
from linli.residents.idcard import make_id_number
from linli.residents.models import Resident

pytestmark = pytest.mark.django_db

HEADERS = ["序号", "姓名", "公民身份号码", "手机号", "楼号", "单元", "房号", "与户主关系", "重点人群", "网格"]


def ledger(rows, *, title=True, name="东一社区台账.xlsx"):
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["东一社区居民信息台账"])
        sheet.merge_cells("A1:J1")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def good_rows():
    import datetime

    return [
        [
            1,
            "周一",
            make_id_number("420107", datetime.date(1950, 3, 5), 51, "M"),
            "138-0000-1111",
            "5栋",
            "1",
            "101",
            "户主",
            "独居老人、60岁以上老人",
            "1",
        ],
        [
            2,
            "周二",
            make_id_number("420107", datetime.date(1985, 1, 2), 52, "F"),
            "13900002222",
            "五栋",
            "1",
            "102",
            "户主",
            "",
            "1",
        ],
        [3, "周三", "110105194912310021", "", "5号楼", "2", "201", "户主", "", "1"],  # wrong check digit
    ]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, community, file):
    return client.post(reverse("ledgers:import_list"), {"community": community.pk, "file": file})


def test_staff_upload_check_and_commit_a_ledger(world, login):
    client = login(world.users["staff"])
    response = upload(client, world.communities["e1"], ledger(good_rows()))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.header_row == 2
    page = client.get(job.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and "周一" in html
    assert "420107********" in html and good_rows()[0][2] not in html  # IDs masked in the preview
    form = page.context["mapping_form"]
    data = {name: form[name].value() or "" for name in form.columns}
    assert data["col_1"] == "name" and data["col_2"] == "id_number" and data["col_0"] == ""

    client.post(reverse("ledgers:import_run", args=[job.pk]), data)
    job.refresh_from_db()
    assert job.status == "validated"
    assert job.report["created"] == 2 and len(job.report["errors"]) == 1, job.report
    assert job.report["errors"][0]["row"] == 5 and job.report["errors"][0]["column"] == "公民身份号码"
    assert not Resident.objects.filter(name__startswith="周").exists()

    client.post(reverse("ledgers:import_run", args=[job.pk]), {"action": "commit"})
    job.refresh_from_db()
    assert job.status == "done" and job.report["created"] == 2
    assert set(Resident.objects.filter(name__startswith="周").values_list("name", flat=True)) == {"周一", "周二"}
    assert not job.file  # the clear-text ledger is not kept after the import
    # a second click does not import twice
    client.post(reverse("ledgers:import_run", args=[job.pk]), {"action": "commit"})
    assert Resident.objects.filter(name__startswith="周").count() == 2


def test_the_mapping_must_name_the_required_columns(world, login):
    client = login(world.users["staff"])
    upload(client, world.communities["e1"], ledger(good_rows()))
    job = ImportJob.objects.get()
    response = client.post(reverse("ledgers:import_run", args=[job.pk]), {"col_1": "name"})
    assert response.status_code == 200
    assert "必须指定这些列" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "uploaded" and job.report is None


def test_a_file_that_is_not_a_ledger_gets_a_chinese_message(world, login):
    client = login(world.users["staff"])
    response = upload(client, world.communities["e1"], SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff"))
    assert "只能导入" in response.content.decode()
    response = upload(client, world.communities["e1"], SimpleUploadedFile("坏文件.xlsx", b"not a zip"))
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_grid_workers_and_other_roles_cannot_import(world, login):
    for persona in ("grid_worker_1", "dept_handler", "resident"):
        assert login(world.users[persona]).get(reverse("ledgers:import_list")).status_code == 403


def test_a_secretary_cannot_import_into_another_community_or_see_its_imports(world, login):
    response = upload(login(world.users["secretary"]), world.communities["e2"], ledger(good_rows()))
    assert "community" in response.context["form"].errors
    admin = login(world.users["street_admin"])
    upload(admin, world.communities["e2"], ledger(good_rows()))
    job = ImportJob.objects.get()
    client = login(world.users["secretary"])
    assert client.get(job.get_absolute_url()).status_code == 404
    assert job not in client.get(reverse("ledgers:import_list")).context["jobs"]


def test_the_summary_counts_rows_with_problems_not_problems(world):
    """6 rows with 9 problems between them: “有问题的行 6”, and the 9 said beside it (issue 14)."""
    from django.core.files.base import ContentFile

    from linli.ledgers.models import ImportJob

    errors = [{"row": r, "column": c, "message": "有误"} for r, c in [(3, "A"), (3, "B"), (3, "C"), (4, "A")]]
    errors += [{"row": r, "column": "A", "message": "有误"} for r in (5, 6, 7, 8)] + [
        {"row": 8, "column": "B", "message": "有误"}
    ]
    job = ImportJob.objects.create(
        community=world.communities["e1"],
        created_by=world.users["secretary"],
        file=ContentFile(b"x", name="t.xlsx"),
        original_name="t.xlsx",
        status="validated",
        report={"rows": 10, "created": 4, "updated": 0, "skipped": 0, "errors": errors, "dry_run": True},
    )
    assert (job.problem_rows, job.problem_count, job.problems_text) == (6, 9, "6行（共9处问题）")
    from django.test import Client

    client = Client()
    client.force_login(world.users["secretary"])
    page = client.get(reverse("ledgers:import_detail", args=[job.pk])).content.decode()
    assert "<span>有问题的行</span><b>6</b><small>共9处问题</small>" in page
    assert "有问题的6行将被跳过" in page
    listing = client.get(reverse("ledgers:import_list")).content.decode()
    assert "有问题6行（共9处问题）" in listing
