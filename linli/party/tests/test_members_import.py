"""A community's existing roster from Excel: matched to residents by ID number or name and phone, branches by name,
every problem listed by row and column before anything is written, and a sheet with a problem adds nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from linli.core.audit import actor_of
from linli.party import importer, services_members
from linli.party.models import MemberImportJob, PartyMember

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "姓名",
    "身份证号",
    "联系电话",
    "所在支部",
    "党小组",
    "党员类别",
    "党员状态",
    "入党日期",
    "工作单位",
    "特长",
]


def sheet(rows, header=HEADER) -> bytes:
    book = Workbook()
    book.active.append(["东一社区党员名册（2026年）"])
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_rows(pw):
    return [
        [
            1,
            "张三",
            pw.residents["zhang"].reveal_id_number(),
            "",
            "东一第1网格党支部",
            "东一第1网格第一党小组",
            "正式",
            "在册",
            "1980-07-01",
            "",
            "维修",
        ],
        [2, "陈奶奶", "", "13700000001", "东一第2网格党支部", "", "预备", "", "2025.7.1", "", ""],
        [3, "马在职", "", "13922223333", "东一第1网格党支部", "", "正式", "在职", "2012年7月1日", "东一税务所", "法律"],
    ]


def check(pw, rows):
    table = importer.read_roster(io.BytesIO(sheet(rows)), "名册.xlsx")
    mapping = importer.detect(table.headers)
    return table, mapping, importer.check(table, mapping, pw.communities["e1"], user=pw.users["secretary"])


def test_the_check_matches_residents_and_branches_and_writes_nothing(pw):
    _, _, (report, records) = check(pw, good_rows(pw))
    assert (report.rows, report.created, report.by_id, report.by_phone, report.errors) == (3, 3, 1, 1, [])
    zhang, chen, ma = records
    assert zhang["resident"] == pw.residents["zhang"] and zhang["group"] == pw.orgs["e1_group"]
    assert chen["resident"] == pw.residents["chen"] and chen["kind"] == "probationary"
    assert ma["work_unit"] == pw.units["e1"] and ma["status"] == "in_service" and "resident" not in ma
    assert PartyMember.objects.count() == 5


def test_each_problem_is_named_by_row_and_column(pw):
    rows = good_rows(pw) + [
        [4, "", "", "", "东一第1网格党支部", "", "", "", "", "", ""],
        [5, "钱九", "", "", "东一第9网格党支部", "", "", "", "", "", ""],
        [6, "孙十", "", "", "东一第1网格党支部", "第九党小组", "半正式", "", "2099-01-01", "", ""],
        [7, "李四", pw.residents["li"].reveal_id_number(), "", "东一第1网格党支部", "", "", "", "", "", ""],
        [8, "王八", pw.residents["zhang"].reveal_id_number(), "", "东一第1网格党支部", "", "", "", "", "", ""],
        [9, "张三", pw.residents["zhang"].reveal_id_number(), "", "东一第1网格党支部", "", "", "", "", "", ""],
        [10, "赵十一", "123", "", "东一第1网格党支部", "", "", "", "", "", ""],
    ]
    _, _, (report, _records) = check(pw, rows)
    notes = {(e.row, e.column): e.message for e in report.errors}
    assert notes[(6, "姓名")] == "姓名为空"
    assert "本社区没有叫“东一第9网格党支部”的党组织" in notes[(7, "所在支部")]
    assert "没有叫“第九党小组”的党小组" in notes[(8, "党小组")]
    assert "应为“正式”或“预备”" in notes[(8, "党员类别")]
    assert "入党日期不能晚于今天" in notes[(8, "入党日期")]
    assert notes[(9, "姓名")] == "已在本社区党员名册中"
    assert "与姓名“王八”不一致" in notes[(10, "姓名")]
    assert notes[(11, "姓名")] == "与第3行是同一人"
    assert "格式不对" in notes[(12, "身份证号")]
    assert report.created == 0 and report.rejected == 7


def test_the_commit_adds_every_row_in_one_go(pw):
    table, mapping, _ = check(pw, good_rows(pw))
    report = services_members.commit_import(table, mapping, pw.communities["e1"], actor=actor_of(pw.users["secretary"]))
    assert report.created == 3 and not report.dry_run
    ma = PartyMember.objects.get(name="马在职")
    assert (ma.source, ma.review, ma.phone, ma.branch) == ("import", "confirmed", "13922223333", pw.orgs["e1"])


def test_a_sheet_with_one_bad_row_adds_nothing(pw):
    rows = good_rows(pw) + [[4, "钱九", "", "", "不存在的支部", "", "", "", "", "", ""]]
    table, mapping, _ = check(pw, rows)
    report = services_members.commit_import(table, mapping, pw.communities["e1"], actor=actor_of(pw.users["secretary"]))
    assert report.created == 0 and report.rejected == 1
    assert PartyMember.objects.count() == 5


def test_upload_check_and_commit_through_the_pages(client, pw):
    client.force_login(pw.users["secretary"])
    upload = SimpleUploadedFile("名册.xlsx", sheet(good_rows(pw)))
    response = client.post(reverse("party:member_import"), {"file": upload, "community": pw.communities["e1"].pk})
    assert response.status_code == 302
    job = MemberImportJob.objects.get()
    page = client.get(reverse("party:import_detail", args=[job.pk]))
    form = page.context["mapping_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    client.post(reverse("party:import_run", args=[job.pk]), data)
    job.refresh_from_db()
    assert job.status == "validated", job.message
    assert PartyMember.objects.count() == 5
    client.post(reverse("party:import_run", args=[job.pk]), {"action": "commit"})
    job.refresh_from_db()
    assert job.status == "done" and not job.file
    assert PartyMember.objects.count() == 8


def test_a_checked_sheet_with_problems_cannot_be_committed(client, pw):
    client.force_login(pw.users["secretary"])
    rows = good_rows(pw) + [[4, "钱九", "", "", "不存在的支部", "", "", "", "", "", ""]]
    client.post(
        reverse("party:member_import"),
        {"file": SimpleUploadedFile("名册.xlsx", sheet(rows)), "community": pw.communities["e1"].pk},
    )
    job = MemberImportJob.objects.get()
    form = client.get(reverse("party:import_detail", args=[job.pk])).context["mapping_form"]
    client.post(reverse("party:import_run", args=[job.pk]), {n: form[n].value() or "" for n in form.fields})
    text = client.get(reverse("party:import_detail", args=[job.pk])).content.decode()
    assert "不存在的支部" in text and "加入党员名册（" not in text
    client.post(reverse("party:import_run", args=[job.pk]), {"action": "commit"})
    assert PartyMember.objects.count() == 5


def test_a_branch_secretary_cannot_import(client, pw):
    client.force_login(pw.users["grid_worker_1"])
    upload = SimpleUploadedFile("名册.xlsx", sheet(good_rows(pw)))
    assert client.post(reverse("party:member_import"), {"file": upload}).status_code == 403
    assert not MemberImportJob.objects.exists()


def test_another_communitys_import_is_not_found(client, pw):
    client.force_login(pw.users["secretary"])
    response = client.post(
        reverse("party:member_import"),
        {"file": SimpleUploadedFile("名册.xlsx", sheet(good_rows(pw))), "community": pw.communities["w1"].pk},
    )
    assert response.status_code == 200 and "community" in response.context["form"].errors
