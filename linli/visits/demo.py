"""A year of visit history for every community of the demo (the demo step registered in shell.py).

~60,000 Visit rows per community (7 million at `linli demo --communities 122`), written in bulk: COPY on
PostgreSQL, one executemany elsewhere. Generated history has no ChangeRecord per visit: it is history, not an
action anybody took, and a change record each would double the build's biggest table for nothing. Visits in
the grids of the demo grid workers (wangge1 and wangge2: grids 1 and 2 of the first community) are theirs; the
others have no visitor. Each community's history draws from its own Random (f"{seed}:visits:{index}"), so the
residents' plan does not change with it.
"""

from __future__ import annotations

import datetime
import random
import time
from itertools import groupby
from typing import NamedTuple

from django.db import connection
from django.db.models import Min
from django.utils import timezone

from linli.accounts.models import AreaAssignment
from linli.core.bulk import BulkWriter
from linli.residents.models import Resident
from linli.visits.choices import Outcome, Wellbeing
from linli.visits.models import Visit
from linli.visits.services import recompute_due_dates


class _Who(NamedTuple):
    """The columns of a resident a visit row copies."""

    pk: int
    household_id: int
    street_id: int
    community_id: int
    grid_id: int | None
    building_id: int


_VISIT_FIELDS = (
    "resident_id",
    "visited_on",
    "outcome",
    "wellbeing",
    "findings",
    "need",
    "created_at",
    "street_id",
    "community_id",
    "grid_id",
    "building_id",
)
_FINDINGS = {
    Wellbeing.GOOD: (
        "身体状况良好，家中整洁",
        "精神不错，按时吃药",
        "在家看电视，一切正常",
        "聊了聊家常，心情很好",
        "子女刚来看过，生活用品充足",
        "血压正常，饮食规律",
        "家中水电气安全，无隐患",
        "在楼下散步，状态很好",
    ),
    Wellbeing.FAIR: (
        "腿脚不太方便，很少下楼",
        "最近睡眠不好",
        "反映楼道灯不亮",
        "反映电梯经常停运",
        "家中卫生一般，已提醒注意",
        "感冒刚好，精神稍差",
        "反映楼上漏水",
        "血压偏高，提醒按时服药",
        "说子女很久没来了，有些孤单",
    ),
    Wellbeing.ATTENTION: (
        "近期摔倒过一次，行动不便",
        "记忆力明显下降，忘记关火",
        "独自在家，饮食不规律",
        "情绪低落，不愿多说话",
        "药快吃完了，需要帮忙取药",
        "家中燃气灶老化，存在隐患",
    ),
    Wellbeing.URGENT: (
        "发烧不退，已联系家属送医",
        "在家摔倒，已拨打120并通知家属",
        "家中停水停电，老人无法自理",
    ),
}
_PHONE_FINDINGS = ("电话联系，本人说一切都好", "电话回访，身体还行", "电话里听着精神不错", "电话联系，子女在身边照顾")
_NOT_HOME_FINDINGS = (
    "敲门无人应答，已留联系卡",
    "邻居说去子女家住几天",
    "家中无人，电话未接通",
    "去医院复查了，改日再来",
)
_REFUSED_FINDINGS = ("本人表示不需要走访", "家属在场，婉拒入户")
_NEEDS = (
    "希望帮忙申请助餐服务",
    "希望楼道加装扶手",
    "希望有人上门理发",
    "想办理高龄津贴",
    "希望帮忙预约体检",
    "希望修一下楼道灯",
    "希望志愿者陪同就医",
    "想了解公租房续租手续",
)
# Completed outcomes (a 不在家 is inserted separately, before ~8% of visits) and wellbeing, cumulative weights.
_OUTCOMES = ((Outcome.MET.value, 0.81), (Outcome.PHONE.value, 0.985), (Outcome.REFUSED.value, 1.0))
_WELLBEING = (
    (Wellbeing.GOOD.value, 0.62),
    (Wellbeing.FAIR.value, 0.90),
    (Wellbeing.ATTENTION.value, 0.985),
    (Wellbeing.URGENT.value, 1.0),
)


def _insert_visits(writer: BulkWriter, rows: list[tuple]) -> None:
    """COPY on PostgreSQL; elsewhere one executemany, since 60,000 model instances through bulk_create
    would add seconds to the SQLite demo."""
    ops, opts = connection.ops, Visit._meta
    columns = ", ".join(ops.quote_name(opts.get_field(f).column) for f in _VISIT_FIELDS)
    if writer.postgres:
        # COPY in text format, formatted here: psycopg's write_row adapts value by value, which made
        # this the slowest step of `linli demo --communities 122`. The texts are ours: no tab, newline
        # or backslash to escape.
        text = {d: d.isoformat() for d in {row[1] for row in rows}}
        text.update((t, t.isoformat()) for t in {row[6] for row in rows})
        text[None] = "\\N"
        data = "".join(
            f"{r[0]}\t{text[r[1]]}\t{r[2]}\t{r[3]}\t{r[4]}\t{r[5]}\t{text[r[6]]}\t{r[7]}\t{r[8]}\t"
            f"{text[r[9]] if r[9] is None else r[9]}\t{r[10]}\n"
            for r in rows
        )
        connection.ensure_connection()
        with connection.connection.cursor() as cur:
            with cur.copy(f"COPY {ops.quote_name(opts.db_table)} ({columns}) FROM STDIN") as copy:
                copy.write(data)
        return
    dates, stamps = {}, {}
    for d in {row[1] for row in rows}:
        dates[d] = ops.adapt_datefield_value(d)
    for t in {row[6] for row in rows}:
        stamps[t] = ops.adapt_datetimefield_value(t)
    sql = f"INSERT INTO {ops.quote_name(opts.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(_VISIT_FIELDS))})"
    with connection.cursor() as cur:
        cur.executemany(sql, [(r[0], dates[r[1]], *r[2:6], stamps[r[6]], *r[7:]) for r in rows])


def _drop_visit_foreign_keys() -> list[tuple[str, str]]:
    """PostgreSQL: drop the visit table's foreign keys for the bulk load; `_restore_foreign_keys` re-adds them.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so each COPYed visit queues one check per key
    (five) until COMMIT: 35 million row-by-row checks at 122 communities, minutes of the build. Adding a key
    back validates all rows in one join instead. Everything stays inside the build's transaction.
    """
    if connection.vendor != "postgresql":
        return []
    table = connection.ops.quote_name(Visit._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [Visit._meta.db_table],
        )
        keys = cur.fetchall()
        # ALTER TABLE refuses tables with pending deferred checks (a --reset deletes rows): run them now.
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _ in keys:
            cur.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
    return keys


def _restore_foreign_keys(keys: list[tuple[str, str]]) -> None:
    if not keys:
        return
    table = connection.ops.quote_name(Visit._meta.db_table)
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as above: the residents' queued checks run here
        for name, definition in keys:
            cur.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
        cur.execute("SET CONSTRAINTS ALL DEFERRED")


class _VisitHistory:
    """A year of visits for one community, from its own Random (so the resident plan is unchanged).

    Care-group residents were visited about once per interval, with jitter, the latest completed visit
    0..interval+2 days ago: after `recompute_due_dates` (due = last completed visit + interval) about
    3 in interval+3 of them are due today or overdue, which gives the demo's 今日走访 a day's work. A few
    of the overdue were tried since and not found at home; their retry date (miss + 2 days) is not
    earlier than the regular due date, so it changes nothing. Other households got an occasional visit,
    so that 60-80% of a grid's households are known (a completed visit in the last year).
    """

    NOT_HOME_RATE = 0.08
    NEED_RATE = 0.07

    def __init__(self, rng: random.Random, today: datetime.date, days: int):
        self.rng, self.today, self.days = rng, today, days
        self._days = [today - datetime.timedelta(days=n) for n in range(days + 60)]
        now = timezone.now()
        tz = timezone.get_current_timezone()
        self._stamps = [min(now, datetime.datetime.combine(d, datetime.time(16, 30), tzinfo=tz)) for d in self._days]

    def _completed(self, r: _Who, ago: int) -> tuple:
        rng = self.rng
        x = rng.random()
        outcome = next(o for o, w in _OUTCOMES if x <= w)
        x = rng.random()
        wellbeing = next(w for w, c in _WELLBEING if x <= c)
        if outcome == Outcome.REFUSED:
            findings = rng.choice(_REFUSED_FINDINGS)
        elif outcome == Outcome.PHONE and wellbeing == Wellbeing.GOOD:
            findings = rng.choice(_PHONE_FINDINGS)
        else:
            findings = rng.choice(_FINDINGS[wellbeing])
        need = rng.choice(_NEEDS) if rng.random() < self.NEED_RATE else ""
        return (
            r.pk,
            self._days[ago],
            outcome,
            wellbeing,
            findings,
            need,
            self._stamps[ago],
            r.street_id,
            r.community_id,
            r.grid_id,
            r.building_id,
        )

    def _not_home(self, r: _Who, ago: int) -> tuple:
        findings = self.rng.choice(_NOT_HOME_FINDINGS)
        return (
            r.pk,
            self._days[ago],
            Outcome.NOT_HOME.value,
            "",
            findings,
            "",
            self._stamps[ago],
            r.street_id,
            r.community_id,
            r.grid_id,
            r.building_id,
        )

    def rows(self, care: list[tuple[_Who, int]], heads: list[_Who]) -> list[tuple]:
        rng, rows = self.rng, []
        for r, interval in care:
            last = rng.randrange(interval + 3)  # days since the latest completed visit
            if last >= interval and rng.random() < 0.3:  # overdue, and tried since
                rows.append(self._not_home(r, rng.randint(1, last - interval + 1)))
            rows.append(self._completed(r, last))
            jitter = max(1, interval // 4)
            ago = last
            while True:
                ago += interval + rng.randint(-jitter, jitter + 1)
                if ago > self.days:
                    break
                if rng.random() < self.NOT_HOME_RATE and ago + 2 <= self.days:
                    rows.append(self._not_home(r, ago + rng.randint(1, 2)))  # found at home a day or two later
                rows.append(self._completed(r, ago))
        share: dict[int | None, float] = {}
        for r in heads:
            p = share.get(r.grid_id)
            if p is None:
                p = share[r.grid_id] = rng.uniform(0.4, 0.66)
            if rng.random() >= p:
                continue
            ago = rng.randrange(self.days - 5)
            if rng.random() < self.NOT_HOME_RATE:
                rows.append(self._not_home(r, ago + rng.randint(1, 3)))
            rows.append(self._completed(r, ago))
            if rng.random() < 0.2:
                rows.append(self._completed(r, rng.randrange(self.days - 5)))
        rows.sort(key=lambda row: (row[1], row[0]))  # ids in date order, as if logged day by day
        return rows


def _care_and_heads(community) -> tuple[list[tuple[_Who, int]], list[_Who]]:
    """The community's care-group residents with their shortest visit interval, and one resident of every other
    household (for the occasional visit); both in the order the residents were written (by id)."""
    residents = [
        _Who(*row)
        for row in Resident.objects.filter(community=community)
        .order_by("pk")
        .values_list("pk", "household_id", "street_id", "community_id", "grid_id", "building_id")
    ]
    intervals = dict(
        Resident.tags.through.objects.filter(resident__community=community, tag__visit_interval_days__gt=0)
        .values("resident_id")
        .annotate(days=Min("tag__visit_interval_days"))
        .values_list("resident_id", "days")
    )
    care, heads = [], []
    for _household, members in groupby(residents, key=lambda r: r.household_id):
        members = list(members)
        cared = [(r, intervals[r.pk]) for r in members if r.pk in intervals]
        care += cared
        if not cared:
            heads.append(members[0])
    return care, heads


def build_demo_visits(demo) -> int:
    """A year of visits in every community of the demo (linli.site.demo.Demo), then the due dates they give."""
    t0 = time.perf_counter()
    writer = BulkWriter()
    keys = _drop_visit_foreign_keys()
    total = 0
    for index, community in enumerate(demo.communities):
        care, heads = _care_and_heads(community)
        rows = _VisitHistory(demo.rng(f"visits:{index}"), demo.today, demo.history_days).rows(care, heads)
        _insert_visits(writer, rows)
        total += len(rows)
    _restore_foreign_keys(keys)
    # The generated history of a demo grid worker's grid was theirs.
    for assignment in AreaAssignment.objects.filter(user__in=demo.users.values(), grid__isnull=False):
        Visit.objects.filter(grid_id=assignment.grid_id).update(visitor_id=assignment.user_id)
    recompute_due_dates(today=demo.today)  # the residents' tags were written in bulk, past residents.services
    demo.log(f"       走访记录：{total}条（{time.perf_counter() - t0:.1f}秒）")
    return total
