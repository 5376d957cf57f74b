"""`linli import-residents`: exit codes, the summary, REPORT.json, and an interrupted commit."""

from __future__ import annotations

import datetime
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import Workbook

from linli.areas.models import Building, Grid, Household
from linli.core.audit import Actor
from linli.core.models import ChangeRecord
from linli.ledgers.importer import detect_mapping, read_ledger, run_import
from linli.residents.idcard import make_id_number
from linli.residents.models import Resident

HEADERS = ["姓名", "身份证号码", "联系电话", "楼栋", "单元", "房号", "人员类别", "网格"]
PROJECT = Path(__file__).resolve().parents[3]


def idn(seq: int) -> str:
    return make_id_number("420107", datetime.date(1960, 1, 1) + datetime.timedelta(days=seq // 100), seq % 100, "F")


def ledger(path: Path, rows) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["东一社区居民台账"])
    sheet.merge_cells("A1:H1")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


GOOD = [
    ["周一", idn(1), "138-0000-1111", "5栋", "1", "101", "独居老人", "1"],
    ["周二", "", "13900002222", "五栋", "1", "102", "", "1"],
]
BAD = [*GOOD, ["周三", "110105194912310021", "", "5号楼", "2", "201", "", "1"]]


def state():
    return (
        Resident.objects.count(),
        Building.objects.count(),
        Household.objects.count(),
        Grid.objects.count(),
        ChangeRecord.objects.count(),
    )


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_residents", *map(str, args), stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        code, err = exc.returncode, io.StringIO(str(exc))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_a_clean_ledger_is_committed_with_exit_0_and_a_json_report(world, tmp_path):
    report = tmp_path / "结果.json"
    code, out, _ = command(ledger(tmp_path / "台账.xlsx", GOOD), "--community", "e1", "--report", report)
    assert code == 0
    assert "表头在第2行" in out and "导入新居民2人" in out and "新建楼栋1栋、户2户、网格0个" in out
    assert set(Resident.objects.filter(name__startswith="周").values_list("name", flat=True)) == {"周一", "周二"}
    assert "周一" not in report.read_text("utf-8") and "\\u" not in report.read_text("utf-8")
    assert json.loads(report.read_text("utf-8")) == {
        "rows": 2,
        "created": 2,
        "updated": 0,
        "skipped": 0,
        "errors": [],
        "buildings_created": 1,
        "households_created": 2,
        "households_updated": 0,
        "grids_created": 0,
        "unassigned_buildings": [],
        "dry_run": False,
    }
    record = ChangeRecord.objects.filter(object_repr="周一").get()
    assert record.actor_label == "导入 台账.xlsx" and record.source == "import"


@pytest.mark.django_db
def test_rejected_rows_give_exit_1_and_are_listed_in_the_report(world, tmp_path):
    report = tmp_path / "r.json"
    code, out, err = command(ledger(tmp_path / "t.xlsx", BAD), "--community", "e1", "--report", report)
    assert code == 1 and "有1行没有通过检查" in err
    assert "第5行【身份证号码】身份证号码校验位不正确" in out
    data = json.loads(report.read_text("utf-8"))
    assert data["created"] == 2 and data["errors"] == [
        {"row": 5, "column": "身份证号码", "message": "身份证号码校验位不正确"}
    ]
    assert Resident.objects.filter(name__startswith="周").count() == 2  # the good rows are in


@pytest.mark.django_db
def test_dry_run_and_strict_write_nothing(world, tmp_path):
    before = state()
    code, out, _ = command(ledger(tmp_path / "t.xlsx", GOOD), "--community", "e1", "--dry-run")
    assert code == 0 and "将导入新居民2人" in out and "试导入" in out and state() == before
    code, out, _ = command(ledger(tmp_path / "t.xlsx", BAD), "--community", "e1", "--strict")
    assert code == 1 and "--strict" in out and state() == before
    code, _, _ = command(ledger(tmp_path / "t.xlsx", BAD), "--community", "e1", "--dry-run")
    assert code == 1 and state() == before


@pytest.mark.django_db
def test_unusable_files_and_unknown_communities_give_exit_2(world, tmp_path):
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    assert command(broken, "--community", "e1")[::2] == (
        2,
        "文件已损坏或不是Excel文件，无法读取。请用Excel打开后另存为 .xlsx 再导入。",
    )
    code, _, err = command(tmp_path / "不存在.xlsx", "--community", "e1")
    assert code == 2 and "无法打开文件" in err
    code, _, err = command(ledger(tmp_path / "t.xlsx", GOOD), "--community", "nowhere")
    assert code == 2 and err == "没有编码为“nowhere”的社区。"


@pytest.mark.django_db
def test_linli_import_residents_with_a_dash_exits_with_the_documented_codes(world, tmp_path, monkeypatch, capsys):
    """Through the `linli` entry point, as an administrator types it."""
    from django.db import connections

    from linli.__main__ import main

    monkeypatch.setattr(connections, "close_all", lambda: None)  # the test's transaction stays open

    def linli(*args):
        monkeypatch.setattr(sys, "argv", ["linli", "import-residents", *map(str, args)])
        try:
            main()
        except SystemExit as exc:
            return exc.code
        return 0

    assert linli(ledger(tmp_path / "t.xlsx", BAD), "--community", "e1", "--dry-run") == 1
    assert "第5行【身份证号码】" in capsys.readouterr().out
    assert linli(tmp_path / "t.txt", "--community", "e1") == 2
    assert "只能导入 Excel（.xlsx、.xls）或 CSV 文件。" in capsys.readouterr().err
    assert linli(ledger(tmp_path / "t.xlsx", GOOD), "--community", "e1") == 0
    assert Resident.objects.filter(name__startswith="周").count() == 2


def test_help_names_the_dashed_command(monkeypatch):
    from django.core import management

    from linli import __main__

    seen = []
    monkeypatch.setattr(management, "execute_from_command_line", seen.append)
    for argv in (["linli", "import-residents", "x.xlsx"], ["linli", "help", "import-residents"], ["linli"]):
        monkeypatch.setattr(sys, "argv", argv)
        __main__.main()
    assert seen == [["linli", "import_residents", "x.xlsx"], ["linli", "help", "import_residents"], ["linli"]]


# --------------------------------------------------------------------------- PostgreSQL: kill -9 midway


def _big_csv(path: Path, rows: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("东一社区居民台账\n姓名,身份证号码,联系电话,楼栋,单元,房号,人员类别,网格\n")
        for i in range(rows):
            building, rest = 100 + i // 480, i % 480
            room = f"{rest // 8 % 30 + 1}{rest % 4 + 1:02d}"
            handle.write(f"居民{i},{idn(i)},138{i:08d},{building}栋,{rest // 240 + 1},{room},,{i // 4800 + 1}\n")
    return path


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_commit_killed_midway_leaves_nothing_behind(world, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a killed process's transaction is rolled back by the server: tested on PostgreSQL")
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    path = _big_csv(tmp_path / "大台账.csv", 20000)
    table = read_ledger(str(path), path.name)
    check = run_import(
        table, detect_mapping(table.headers), world.communities["e1"], actor=Actor.cli("t"), dry_run=True
    )
    assert (check.created, check.errors, check.buildings_created) == (20000, [], 42)  # what the kill must undo
    del table
    before = state()
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "linli", "import-residents", str(path), "--community", "e1", "-v", "2"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    try:
        deadline = time.monotonic() + 60
        for line in process.stdout:
            lines.append(line)
            if line.startswith("进度 写入"):
                break
            assert time.monotonic() < deadline, lines
        else:
            pytest.fail(f"the import ended before it was killed: {lines} {process.stderr.read()}")
        # It is writing: buildings, rooms and the first residents are in its open transaction.
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()")
            assert cur.fetchone()[0] == 1
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    # The server rolls the transaction back once it sees the connection gone.
    deadline = time.monotonic() + 15
    while True:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cur.fetchone()[0] == 0 or time.monotonic() > deadline:
                break
        time.sleep(0.1)
    assert state() == before
    assert not Resident.objects.filter(name__startswith="居民").exists()
    assert not Building.objects.filter(number__gte=100).exists()
    assert not ChangeRecord.objects.filter(actor_label="导入 大台账.csv").exists()
