"""Ledger benchmark: import and export of a 100,000-row 台账 on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench .venv/bin/python bench/ledgers.py [--rows 100000]

Generates a realistic, messy ledger .xlsx in a temporary folder (a merged title row, the header on
row 3, synonyms for the column names, 3栋/3号楼/三栋 for one building, full-width digits, dashes in
phones, dates as date cells and as text, several care groups in one cell, a few bad rows), imports it
into a new community under a new street (nothing existing is touched), imports it again (everything
unchanged), exports the residents with linli.ledgers.exporter, and deletes what it created.

Prints rows/second, wall time, peak memory (the process's peak RSS during the import, reset before
it through /proc/self/clear_refs where Linux allows, else the growth of the peak) and the ratio to
the time python-calamine alone takes to read the file. Goals: import (validate + commit) of
100,000 rows <= 30 s and <= 400 MB; export of 100,000 rows <= 10 s.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/linli_bench")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.accounts.models import AreaAssignment, User  # noqa: E402
from linli.areas.models import Community, Street  # noqa: E402
from linli.core.models import ChangeRecord  # noqa: E402
from linli.ledgers.importer import detect_mapping, import_actor, read_ledger, run_import  # noqa: E402
from linli.residents.idcard import make_id_number  # noqa: E402
from linli.residents.models import Resident  # noqa: E402

HEADERS = [
    "序号",
    "姓 名",
    "性别",
    "公民身份号码",
    "出生日期",
    "手机号",
    "楼号",
    "单元",
    "房间号",
    "与户主关系",
    "居住类型",
    "重点人群",
    "户籍所在地",
    "所属网格",
    "备注",
]
RELATIONS = {
    "head": ["户主", "本人"],
    "spouse": ["妻", "配偶", "夫"],
    "child": ["子", "女", "儿子", "女儿", "长子"],
    "parent": ["母亲", "父亲"],
    "grandchild": ["孙子", "孙女"],
}
RESIDENCE = ["户籍", "常住", "常住人口", "流动人口", "租住", "租赁", "户籍人口"]
TAGS = ["60岁以上老人", "独居老人", "空巢老人", "党员", "退役军人", "低保户", "残疾人", "低收入户", "留守儿童"]
HUKOU = ["湖北省武汉市青山区", "湖北省武汉市武昌区", "湖北省黄冈市", "河南省信阳市", "湖北省孝感市", ""]
CN = "零一二三四五六七八九"
FULL = str.maketrans("0123456789", "０１２３４５６７８９")
GOAL_SECONDS, GOAL_MB, EXPORT_GOAL = 30, 400, 10


def _cn_number(n: int) -> str:
    if n >= 100:
        return str(n)
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n % 10] if n % 10 else "")
    return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")


def generate(path: str, rows: int, seed: int = 2026) -> None:
    """Write the ledger; runs in a child process so that its memory is not the import's."""
    import xlsxwriter

    from linli.site.demo import Names

    rng = random.Random(seed)
    names = Names()
    book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("居民台账")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, "北湖社区居民信息台账（2026年）")
    sheet.write_row(
        1, 0, ["填报单位：北湖社区居委会", "", "", "", "", "", "", "", "", "", "", "", "填报日期：2026年1月"]
    )
    sheet.write_row(2, 0, HEADERS)
    used: dict[tuple, int] = {}
    r, person, building, entrance, floor, index = 3, 0, 1, 1, 1, 1
    entrances, floors, per_floor = 2, 18, 4
    while person < rows:
        size = min(rows - person, rng.choice((1, 1, 2, 2, 2, 3, 3, 4)))
        room = f"{floor}{index:02d}"
        grid = (building - 1) // 20 + 1
        head_year = rng.randint(1940, 1995)
        for k in range(size):
            sex = rng.choice("MF")
            relation = "head" if k == 0 else ("spouse" if k == 1 else rng.choice(("child", "parent", "grandchild")))
            year = {
                "head": head_year,
                "spouse": head_year + rng.randint(-3, 3),
                "child": head_year + 25,
                "parent": head_year - 25,
                "grandchild": head_year + 50,
            }[relation]
            year = max(1925, min(year, 2024))
            born = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            region = rng.choice(("420107", "420106", "420111", "411502", "421102"))
            seq = used.get((region, born), 0)
            used[(region, born)] = seq + 1
            number = make_id_number(region, born, seq % 100, sex) if seq < 100 else ""
            if number and rng.random() < 0.02:
                number = number.translate(FULL)
            if number.endswith("X") and rng.random() < 0.5:
                number = number[:-1] + "x"
            if rng.random() < 0.004:  # a typo: the check digit no longer fits
                number = number[:-1] + ("1" if number[-1] != "1" else "2")
            phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" if rng.random() < 0.8 else ""
            if phone and rng.random() < 0.25:
                phone = f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
            b_text = rng.choice((f"{building}栋", f"{building}号楼", f"{_cn_number(building)}栋", str(building)))
            e_text = rng.choice((str(entrance), f"{entrance}单元"))
            r_text = rng.choice((room, f"{room}室", room))
            tags = ""
            if year < 1966 and rng.random() < 0.5:
                tags = "60岁以上老人" + rng.choice(("", "、独居老人", "，空巢老人", " 低保户"))
            elif rng.random() < 0.05:
                tags = rng.choice(TAGS[3:])
            cells = [
                person + 1,
                names.surname(rng) + names.given_name(rng, sex),
                "男" if sex == "M" else "女",
                number,
                None,
                phone,
                b_text,
                e_text,
                r_text,
                rng.choice(RELATIONS[relation]),
                rng.choice(RESIDENCE),
                tags,
                rng.choice(HUKOU),
                rng.choice((f"第{grid}网格", f"{grid}网格", str(grid))),
                "行动不便" if rng.random() < 0.01 else "",
            ]
            sheet.write_row(r, 0, cells)
            style = rng.random()
            if style < 0.5:
                sheet.write_datetime(r, 4, datetime.datetime(born.year, born.month, born.day), date_format)
            elif style < 0.8:
                sheet.write_string(r, 4, f"{born.year}.{born.month}.{born.day}")
            else:
                sheet.write_string(r, 4, f"{born.year}年{born.month}月{born.day}日")
            r += 1
            person += 1
        index += 1
        if index > per_floor:
            index, floor = 1, floor + 1
            if floor > floors:
                floor, entrance = 1, entrance + 1
                if entrance > entrances:
                    entrance, building = 1, building + 1
    book.close()


def calamine_read(path: str) -> float:
    import python_calamine

    start = time.perf_counter()
    sheet = python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows
    return time.perf_counter() - start


def _in_child(target, *args):
    """Run target(*args) in a forked process and return its result (keeps this process's peak RSS clean)."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def wrapper():
        child.send(target(*args))

    connection.close()
    process = ctx.Process(target=wrapper)
    process.start()
    child.close()
    try:
        result = parent.recv()
    except EOFError:
        raise SystemExit(f"{target.__name__} failed in the child process") from None
    process.join()
    return result


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark community (default: delete it)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the goals are for PostgreSQL", file=sys.stderr)
    call_command("migrate", verbosity=0)  # new tables only (e.g. export records); no data is changed

    workdir = tempfile.mkdtemp(prefix="linli-ledger-bench-")
    path = os.path.join(workdir, "北湖社区台账.xlsx")
    start = time.perf_counter()
    _in_child(generate, path, args.rows)
    size = os.path.getsize(path) / 1024 / 1024
    print(f"ledger: {args.rows} rows, {size:.1f} MB, generated in {time.perf_counter() - start:.1f} s ({path})")
    calamine = min(_in_child(calamine_read, path) for _ in range(2))
    print(f"python-calamine alone reads it in {calamine:.2f} s")

    tag = f"{os.getpid()}{int(time.time()) % 100000}"
    street = Street.objects.create(code=f"bench-ledger-{tag}", name=f"台账压测街{tag}")
    community = Community.objects.create(street=street, code=f"bench-ledger-{tag}", name=f"北湖社区{tag}")
    user = User.objects.create(username=f"bench-ledger-{tag}", role=Role.STREET_ADMIN, full_name="台账压测")
    AreaAssignment.objects.create(user=user, street=street)
    actor = import_actor(user, os.path.basename(path))
    try:
        base = _peak_mb()
        exact = _reset_peak()
        start = time.perf_counter()
        table = read_ledger(path, os.path.basename(path))
        read = time.perf_counter() - start
        report = run_import(table, detect_mapping(table.headers), community, actor=actor, dry_run=False)
        wall = time.perf_counter() - start
        peak = _peak_mb() if exact else _peak_mb() - base
        del table
        print(
            f"import: {report.rows} rows in {wall:.1f} s = {report.rows / wall:,.0f} rows/s "
            f"(reading {read:.1f} s, validate + commit {wall - read:.1f} s); "
            f"{wall / calamine:.1f}x python-calamine alone; peak RSS {peak:.0f} MB"
            + ("" if exact else " (growth of the peak)")
        )
        print(
            f"        created {report.created}, rejected rows {report.rejected}, buildings {report.buildings_created}, "
            f"rooms {report.households_created}, grids {report.grids_created}"
        )
        start = time.perf_counter()
        table = read_ledger(path, os.path.basename(path))
        again = run_import(table, detect_mapping(table.headers), community, actor=actor, dry_run=False)
        del table
        print(
            f"re-import of the same file: {time.perf_counter() - start:.1f} s, created {again.created}, "
            f"updated {again.updated}, unchanged {again.skipped}"
        )

        export_seconds = None
        try:
            from linli.ledgers.exporter import LIST_ORDERING, write_residents_xlsx
        except ImportError as exc:
            print(f"export: skipped, linli.ledgers.exporter is not there yet ({exc})")
        else:
            out = os.path.join(workdir, "导出.xlsx")
            start = time.perf_counter()
            rows = write_residents_xlsx(
                Resident.objects.filter(community=community).order_by(*LIST_ORDERING), user=user, out=out
            )
            export_seconds = time.perf_counter() - start
            print(
                f"export: {rows} rows in {export_seconds:.1f} s = {rows / export_seconds:,.0f} rows/s, "
                f"{os.path.getsize(out) / 1024 / 1024:.1f} MB"
            )

        print()
        scale = args.rows / 100_000
        print(
            f"goal import <= {GOAL_SECONDS * scale:.0f} s: {'met' if wall <= GOAL_SECONDS * scale else 'NOT met'} "
            f"({wall:.1f} s)"
        )
        print(f"goal import <= {GOAL_MB} MB: {'met' if peak <= GOAL_MB else 'NOT met'} ({peak:.0f} MB)")
        if export_seconds is not None:
            met = export_seconds <= EXPORT_GOAL * scale
            print(f"goal export <= {EXPORT_GOAL * scale:.0f} s: {'met' if met else 'NOT met'} ({export_seconds:.1f} s)")
    finally:
        if not args.keep:
            cleanup(street, user)
        for name in os.listdir(workdir):
            os.unlink(os.path.join(workdir, name))
        os.rmdir(workdir)


def cleanup(street: Street, user: User) -> None:
    """Delete the benchmark's street with everything under it, its user and their records."""
    from linli.core.bulk import purge
    from linli.core.models import ExportRecord

    start = time.perf_counter()
    with transaction.atomic():
        ChangeRecord.objects.filter(actor=user).delete()
        ExportRecord.objects.filter(user=user).delete()
        purge(Street.objects.filter(pk=street.pk))
        user.delete()
    print(f"cleaned up in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
