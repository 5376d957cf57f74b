"""Appeals (诉求) at city scale for bench/appeals.py: organisations, bindings, a handler and 500,000 appeals.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench .venv/bin/python bench/appeals_data.py
        [--communities 100] [--appeals 500000] [--regenerate]

For the first `--communities` communities (by id) of a database built by `linli demo --communities 122`:

- one Organisation per default HandlingUnit per street ("工人村街物业服务中心", "青山区水务和湖泊局" ...), bound to
  each of those communities (UnitBinding);
- `bench_property_handler`, a handler of the first street's property organisation (so it serves every
  community of that street) — the persona of the unit's queue;
- `--appeals` appeals spread over the last two years, with their timelines (AppealEvent: created,
  dispatched, signed, resolved, replied as far as each got: ~4.6 per appeal), written with BulkWriter
  (COPY) in the order they arrived, so ids and the table's physical order follow received_at as in a live
  system (a street's appeals are spread over the whole table, not stored together).

Status mix: ~85% 已结案 (replied and mostly rated), 1.5% 已撤销, the rest open at every stage
(待派单, 待签收, 办理中, 待回访), of which ~3% of all appeals are past their current deadline; ~2% are
supervised (督办), ~3% of the closed were reopened once. Deadlines are the services' (linli.workdays
calendar: sign 1 working day, resolve by urgency, reply 2 working days) counted from the dispatch,
and signed_late / resolved_late / replied_late follow from them. An open appeal that is not meant
to be overdue but would be by its original deadline got an extension (a later resolve_due).

The last community (by id) is left without appeals: bench/appeals.py creates its API appeals there and
deletes them afterwards. Idempotent: skips when the appeals are already there; --regenerate replaces
them. Runs VACUUM ANALYZE at the end (a live table is vacuumed: index-only scans need the visibility map).
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.accounts.models import User  # noqa: E402
from linli.appeals.choices import Channel, EventAction, Outcome, Rating, ReplyMethod, Status, Urgency  # noqa: E402
from linli.appeals.defaults import install_default_directory  # noqa: E402
from linli.appeals.demo import TEXTS, organisation_names  # noqa: E402
from linli.appeals.models import Appeal, AppealEvent, Category, HandlingUnit, Organisation, UnitBinding  # noqa: E402
from linli.areas.models import Building, Community, Street  # noqa: E402
from linli.core.bulk import BulkWriter  # noqa: E402
from linli.workdays import calendar  # noqa: E402

HANDLER = "bench_property_handler"
DAYS = 730
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "秀英桂兰建国志强丽华明芳海燕红梅德华玉珍春生小平文杰淑珍"
APPEAL_FIELDS = (
    "id number text category_id urgency channel status reporter_id reporter_name reporter_phone anonymous "
    "street_id community_id grid_id building_id household_id address visit_id unit_id assigned_org_id "
    "received_at dispatched_at signed_at resolved_at replied_at sign_due resolve_due reply_due current_due "
    "due_warning signed_late resolved_late replied_late outcome resolution explanation reply_text reply_method "
    "rating rating_note public_summary reopen_count supervised merged_into_id created_by_id created_at updated_at"
).split()
EVENT_FIELDS = "id appeal_id at actor_id actor_label action from_status to_status org_id note internal".split()
#: final status → share of all appeals (the rest is closed)
OPEN_MIX = (
    (Status.PENDING_DISPATCH, 0.02),
    (Status.PENDING_SIGN, 0.025),
    (Status.IN_PROGRESS, 0.06),
    (Status.RESOLVED, 0.03),
    (Status.WITHDRAWN, 0.015),
)
OVERDUE_SHARE = 0.03
RECEIVED = APPEAL_FIELDS.index("received_at")
CHUNK = 50_000
URGENCY_MIX = ((Urgency.NORMAL, 80), (Urgency.EXPEDITED, 10), (Urgency.COMPLEX, 7), (Urgency.URGENT, 3))
CHANNEL_MIX = (
    (Channel.VISIT, 30),
    (Channel.PHONE, 25),
    (Channel.WALK_IN, 15),
    (Channel.MESSAGE, 15),
    (Channel.HOTLINE, 12),
    (Channel.RESIDENT, 3),
)
RATING_MIX = ((Rating.SATISFIED, 70), (Rating.BASICALLY, 18), (Rating.UNSATISFIED, 5), (Rating.NONE, 7))
H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)


def bench_communities(n: int) -> list[Community]:
    return list(Community.objects.select_related("street").order_by("id")[:n])


def reserved_community() -> Community:
    """Where bench/appeals.py creates (and deletes) its API appeals: the last community, never generated."""
    return Community.objects.select_related("street").order_by("-id").first()


def street_org_names(street: Street) -> dict[str, tuple[str, str]]:
    """The demo's names (linli.appeals.demo) with the street in place of one community."""
    names = organisation_names(street.name, street.name)
    names["community"] = (f"{street.name}社区居委会联席会", "李晓燕")
    names["property"] = (f"{street.name}物业服务中心", "周涛")
    names["mediation"] = (f"{street.name}人民调解委员会", "陈志华")
    return names


def setup_organisations(communities: list[Community]) -> dict[tuple[int, str], Organisation]:
    """(street id, unit code) → Organisation, bound to every chosen community of the street."""
    install_default_directory(HandlingUnit, Category)
    units = list(HandlingUnit.objects.filter(is_active=True))
    orgs = {}
    streets = {c.street_id: c.street for c in communities}
    for street in streets.values():
        names = street_org_names(street)
        for n, unit in enumerate(units):
            name, contact = names.get(unit.code, (f"{street.name}{unit.name}", ""))
            org, _ = Organisation.objects.get_or_create(
                street=street,
                name=name,
                defaults={"unit": unit, "contact_name": contact, "phone": f"027-8686{1000 + n * 37:04d}"},
            )
            orgs[street.id, unit.code] = org
    have = set(UnitBinding.objects.filter(community__in=communities).values_list("community_id", "unit_id"))
    UnitBinding.objects.bulk_create(
        UnitBinding(community=c, unit=u, organisation=orgs[c.street_id, u.code])
        for c in communities
        for u in units
        if (c.id, u.id) not in have
    )
    handler, _ = User.objects.get_or_create(
        username=HANDLER, defaults={"role": Role.DEPT_HANDLER, "full_name": "周涛（物业）"}
    )
    orgs[communities[0].street_id, "property"].handlers.add(handler)
    return orgs


class Deadlines:
    """The working-day calendar per start date, cached (2 years x a few N instead of a call per appeal)."""

    def __init__(self):
        self.cache = {}

    def workdays(self, at: datetime.datetime, n: int) -> datetime.datetime:
        key = (timezone.localdate(at), n)
        due = self.cache.get(key)
        if due is None:
            due = self.cache[key] = calendar.add_workdays(at, n).due
        return due

    def resolve(self, at, urgency, category) -> datetime.datetime:
        if urgency == Urgency.URGENT:
            return at + category.urgent_hours * H
        if urgency == Urgency.EXPEDITED:
            return at + category.expedited_hours * H
        if urgency == Urgency.COMPLEX:
            return self.workdays(at, category.complex_workdays)
        return self.workdays(at, category.normal_workdays)


def weighted(rng, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights, k=1)[0]


class Generator:
    def __init__(self, communities, orgs, *, total: int, seed: int, now: datetime.datetime):
        self.rng = random.Random(seed)
        self.now = now
        self.tz = timezone.get_current_timezone()
        self.communities = communities
        self.orgs = orgs
        self.total = total
        self.deadlines = Deadlines()
        self.categories = {c.code: c for c in Category.objects.select_related("unit").filter(is_active=True)}
        weights = {code: TEXTS[code][0] for code in TEXTS if code in self.categories}
        for code in self.categories:
            weights.setdefault(code, 2)
        self.category_mix = [(self.categories[c], w) for c, w in weights.items()]
        self.buildings = {}
        for b in Building.objects.filter(community__in=communities).values("id", "name", "grid_id", "community_id"):
            self.buildings.setdefault(b["community_id"], []).append(b)
        self.staff = User.objects.filter(username__in=("shequ", "shuji")).first()

    def text(self, category, building) -> str:
        texts = TEXTS.get(category.code)
        if texts is None:
            return f"反映{category.name}方面的问题，请尽快处理。{building['name']}附近。"
        return self.rng.choice(texts[1]).format(
            b=building["name"], u=self.rng.randint(1, 3), f=self.rng.randint(2, 18), r="", up="楼上"
        )

    def resolution(self, category) -> str:
        texts = TEXTS.get(category.code)
        return self.rng.choice(texts[2]) if texts else "已安排人员现场处理，问题已解决。"

    def working_moment(self, day: datetime.date) -> datetime.datetime:
        minute = self.rng.randint(8 * 60, 19 * 60)
        return datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60), tzinfo=self.tz)

    def plan_status(self) -> tuple[str, bool]:
        r = self.rng.random()
        acc = 0.0
        for status, share in OPEN_MIX:
            acc += share
            if r < acc:
                overdue = status in (Status.PENDING_SIGN, Status.IN_PROGRESS, Status.RESOLVED) and (
                    self.rng.random() < OVERDUE_SHARE / 0.115
                )
                return status, overdue
        return Status.CLOSED, False

    def appeal(self, pk: int, community: Community, events: list, event_ids) -> tuple:
        rng, now = self.rng, self.now
        status, overdue = self.plan_status()
        category = weighted(rng, self.category_mix)
        urgency = weighted(rng, URGENCY_MIX) if rng.random() < 0.3 else category.default_urgency
        building = rng.choice(self.buildings[community.id])
        anonymous = rng.random() < 0.05
        if status == Status.CLOSED or status == Status.WITHDRAWN:
            age = rng.uniform(3, DAYS)
        elif overdue:
            age = rng.uniform(2, 120)
        else:
            age = rng.uniform(0, 6) if status in (Status.PENDING_DISPATCH, Status.PENDING_SIGN) else rng.uniform(1, 20)
        received = min(self.working_moment(timezone.localdate(now - age * D)), now - 0.2 * H)
        org = self.orgs[community.street_id, category.unit.code]
        a = dict.fromkeys(APPEAL_FIELDS)
        a.update(
            id=pk,
            number=f"{timezone.localtime(received):%Y%m%d}-{pk:05d}",
            text=self.text(category, building),
            category_id=category.id,
            urgency=urgency,
            channel=weighted(rng, CHANNEL_MIX),
            status=status,
            reporter_name="" if anonymous else rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            reporter_phone="" if anonymous else f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}",
            anonymous=anonymous,
            street_id=community.street_id,
            community_id=community.id,
            grid_id=building["grid_id"],
            building_id=building["id"],
            address="",
            received_at=received,
            due_warning="",
            outcome="",
            resolution="",
            explanation="",
            reply_text="",
            reply_method="",
            rating="",
            rating_note="",
            public_summary="",
            reopen_count=0,
            supervised=False,
            created_by_id=self.staff.id if self.staff else None,
            created_at=received,
        )
        label = "社区工作人员"

        def event(at, action, before, after, note="", org_id=None):
            events.append((next(event_ids), pk, at, None, label, action, before, after, org_id, note, False))

        event(received, EventAction.CREATED, "", Status.PENDING_DISPATCH, f"来源：{Channel(a['channel']).label}")
        last = received
        if status == Status.PENDING_DISPATCH:
            a["updated_at"] = last
            return tuple(a[f] for f in APPEAL_FIELDS)
        if status == Status.WITHDRAWN:
            at = min(received + rng.uniform(1, 30) * H, now)
            event(at, EventAction.WITHDRAWN, Status.PENDING_DISPATCH, Status.WITHDRAWN, "重复反映，已合并处理")
            a["updated_at"] = at
            return tuple(a[f] for f in APPEAL_FIELDS)

        # dispatched: a round of handling starts (services._start_round)
        dispatched = min(received + rng.uniform(0.2, 6) * H, now - 0.1 * H)
        sign_due = self.deadlines.workdays(dispatched, category.sign_workdays)
        resolve_due = self.deadlines.resolve(dispatched, urgency, category)
        sign_due = min(sign_due, resolve_due)  # services._start_round: 紧急 2 hours beats "1 working day"
        a.update(unit_id=category.unit_id, assigned_org_id=org.id, dispatched_at=dispatched)
        a.update(sign_due=sign_due, resolve_due=resolve_due)
        event(dispatched, EventAction.DISPATCHED, Status.PENDING_DISPATCH, Status.PENDING_SIGN, org_id=org.id)
        last = dispatched
        if status == Status.PENDING_SIGN:
            if overdue:
                sign_due = a["sign_due"] = min(sign_due, now - rng.uniform(1, 48) * H)
            elif sign_due < now:
                sign_due = a["sign_due"] = self.deadlines.workdays(now, 1)
            a.update(current_due=sign_due, updated_at=last, supervised=overdue and rng.random() < 0.3)
            return tuple(a[f] for f in APPEAL_FIELDS)

        late_sign = rng.random() < 0.05
        signed = (
            sign_due + rng.uniform(1, 20) * H
            if late_sign
            else dispatched + rng.uniform(0.1, 0.9) * (sign_due - dispatched)
        )
        signed = min(signed, now - 0.05 * H)
        a.update(signed_at=signed, signed_late=signed > sign_due)
        event(signed, EventAction.SIGNED, Status.PENDING_SIGN, Status.IN_PROGRESS, org_id=org.id)
        last = signed
        if status == Status.IN_PROGRESS:
            if overdue:
                resolve_due = a["resolve_due"] = min(resolve_due, now - rng.uniform(1, 72) * H)
            elif resolve_due < now:  # extended (延期)
                resolve_due = a["resolve_due"] = self.deadlines.workdays(now, rng.randint(1, 7))
            a.update(current_due=resolve_due, updated_at=last, supervised=overdue and rng.random() < 0.4)
            return tuple(a[f] for f in APPEAL_FIELDS)

        late_resolve = rng.random() < 0.07
        if late_resolve:
            resolved = max(resolve_due, signed) + rng.uniform(2, 96) * H
        else:
            resolved = signed + rng.uniform(0.05, 0.95) * (max(resolve_due, signed + H) - signed)
        resolved = min(resolved, now - 0.02 * H)
        outcome = weighted(
            rng, ((Outcome.SOLVED, 88), (Outcome.PARTLY, 7), (Outcome.UNSOLVABLE, 3), (Outcome.UNFOUNDED, 2))
        )
        reply_due = self.deadlines.workdays(resolved, category.reply_workdays)
        a.update(
            resolved_at=resolved,
            resolved_late=resolved > resolve_due,
            outcome=outcome,
            resolution=self.resolution(category),
            explanation="" if outcome == Outcome.SOLVED else "已向居民说明情况，后续将持续关注。",
            reply_due=reply_due,
        )
        event(
            resolved,
            EventAction.RESOLVED,
            Status.IN_PROGRESS,
            Status.RESOLVED,
            f"{Outcome(outcome).label}：{a['resolution']}",
        )
        last = resolved
        if status == Status.RESOLVED:
            if overdue:
                reply_due = a["reply_due"] = min(reply_due, now - rng.uniform(1, 48) * H)
            elif reply_due < now:
                reply_due = a["reply_due"] = self.deadlines.workdays(now, 1)
            a.update(current_due=reply_due, updated_at=last, supervised=overdue and rng.random() < 0.2)
            return tuple(a[f] for f in APPEAL_FIELDS)

        # closed: replied, rated; a few were reopened once before (the last round is what the row shows)
        replied = resolved + (
            rng.uniform(2, 60) * H if rng.random() < 0.97 else reply_due - resolved + rng.uniform(2, 72) * H
        )
        replied = min(replied, now - 0.01 * H)
        rating = Rating.NONE if anonymous else weighted(rng, RATING_MIX)
        method = (
            ReplyMethod.PUBLIC
            if anonymous
            else weighted(rng, ((ReplyMethod.PHONE, 70), (ReplyMethod.VISIT, 25), (ReplyMethod.MESSAGE, 5)))
        )
        a.update(
            replied_at=replied,
            replied_late=replied > reply_due,
            reply_text="已电话告知居民办理结果，居民表示认可。",
            reply_method=method,
            rating=rating,
            reopen_count=1 if rng.random() < 0.03 else 0,
            supervised=rng.random() < 0.015,
            updated_at=replied,
        )
        event(
            replied,
            EventAction.REPLIED,
            Status.RESOLVED,
            Status.CLOSED,
            f"{ReplyMethod(method).label}，{Rating(rating).label}",
        )
        return tuple(a[f] for f in APPEAL_FIELDS)


def _with_defaults(model, given) -> tuple[tuple[str, ...], tuple]:
    """The columns to write and the values to append to each generated row: every NOT NULL column the generator does
    not set (added to the model since it was written) gets its model default ('' for text)."""
    extra = [f for f in model._meta.concrete_fields if f.attname not in given and not f.null]
    return (*given, *(f.attname for f in extra)), tuple(f.get_default() for f in extra)


def _foreign_keys(model) -> list[tuple[str, str]]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [model._meta.db_table],
        )
        return cur.fetchall()


def _alter_keys(model, keys, *, add: bool) -> None:
    """Drop the table's foreign keys for the load (one deferred check per key and row otherwise) or re-add them."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, definition in keys:
            name = connection.ops.quote_name(name)
            cur.execute(f"ALTER TABLE {table} {'ADD' if add else 'DROP'} CONSTRAINT {name} {definition if add else ''}")
        cur.execute("SET CONSTRAINTS ALL DEFERRED")


def _referencing(table: str) -> list[tuple[str, str, bool]]:
    """(table, column, nullable) of each foreign key pointing at `table`, from the catalogue (new apps add some)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.conrelid::regclass::text, a.attname, NOT a.attnotnull FROM pg_constraint c"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " WHERE c.contype = 'f' AND c.confrelid = %s::regclass AND c.conrelid <> c.confrelid ORDER BY 1, 2",
            [table],
        )
        return cur.fetchall()


def delete_generated(communities) -> None:
    """Delete the appeals of these communities and whatever points at them (events, assists, routing corrections ...):
    rows that must have an appeal go, nullable links are cleared."""
    ids = [c.id for c in communities]
    with connection.cursor() as cur:
        sub = "SELECT id FROM appeals_appeal WHERE community_id = ANY(%s)"
        for table, column, nullable in _referencing("appeals_appeal"):
            if nullable:
                cur.execute(f'UPDATE {table} SET "{column}" = NULL WHERE "{column}" IN ({sub})', [ids])
            else:
                cur.execute(f'DELETE FROM {table} WHERE "{column}" IN ({sub})', [ids])
        cur.execute("UPDATE appeals_appeal SET merged_into_id = NULL WHERE merged_into_id IN (" + sub + ")", [ids])
        cur.execute("DELETE FROM appeals_appeal WHERE community_id = ANY(%s)", [ids])


def generate(*, communities: int = 100, appeals: int = 500_000, regenerate: bool = False, seed: int = 5, log=print):
    chosen = bench_communities(communities)
    existing = Appeal.objects.filter(community__in=chosen).count()
    if existing >= appeals * 0.98 and not regenerate:
        log(f"{existing:,} appeals already in {len(chosen)} communities: nothing to do (--regenerate replaces them)")
        setup_organisations(chosen)
        return
    t0 = time.perf_counter()
    with transaction.atomic():
        if existing:
            delete_generated(chosen)
            log(f"deleted {existing:,} appeals ({time.perf_counter() - t0:.0f} s)")
        orgs = setup_organisations(chosen)
        now = timezone.now()
        gen = Generator(chosen, orgs, total=appeals, seed=seed, now=now)
        writer = BulkWriter()
        keys = {m: _foreign_keys(m) for m in (Appeal, AppealEvent)} if writer.postgres else {}
        for model, k in keys.items():
            _alter_keys(model, k, add=False)
        per = [appeals // len(chosen) + (1 if i < appeals % len(chosen) else 0) for i in range(len(chosen))]
        # Planned per community, written in the order they arrived (ids and table order follow received_at,
        # as in a live system: a street's appeals are spread over the whole table, not stored together).
        planned = []
        for community, n in zip(chosen, per):
            for _ in range(n):
                events: list[tuple] = []
                planned.append((gen.appeal(len(planned), community, events, itertools.repeat(0)), events))
        planned.sort(key=lambda p: p[0][RECEIVED])
        log(f"  planned {len(planned):,} appeals ({time.perf_counter() - t0:.0f} s)")
        ids = writer.reserve_ids(Appeal, len(planned))
        rows, all_events = [], []
        for pk, (row, events) in zip(ids, planned):
            rows.append((pk, f"{row[1][:9]}{pk:05d}", *row[2:]))
            all_events.extend((e[0], pk, *e[2:]) for e in events)
        del planned
        all_events.sort(key=lambda e: e[2])
        event_ids = writer.reserve_ids(AppealEvent, len(all_events))
        all_events = [(eid, *e[1:]) for eid, e in zip(event_ids, all_events)]
        fields, defaults = _with_defaults(Appeal, APPEAL_FIELDS)
        for i in range(0, len(rows), CHUNK):
            writer.insert_rows(Appeal, fields, [row + defaults for row in rows[i : i + CHUNK]])
        log(f"  {len(rows):,} appeals written ({time.perf_counter() - t0:.0f} s)")
        fields, defaults = _with_defaults(AppealEvent, EVENT_FIELDS)
        for i in range(0, len(all_events), CHUNK):
            writer.insert_rows(AppealEvent, fields, [e + defaults for e in all_events[i : i + CHUNK]])
        written, events_written = len(rows), len(all_events)
        log(f"  {events_written:,} events written ({time.perf_counter() - t0:.0f} s)")
        t1 = time.perf_counter()
        for model, k in keys.items():
            _alter_keys(model, k, add=True)
        log(f"foreign keys re-added and validated: {time.perf_counter() - t1:.0f} s")
    t2 = time.perf_counter()
    with connection.cursor() as cur:
        for table in ("appeals_appeal", "appeals_appealevent", "appeals_organisation", "appeals_unitbinding"):
            cur.execute(f"VACUUM ANALYZE {table}")
    log(f"VACUUM ANALYZE: {time.perf_counter() - t2:.0f} s")
    log(
        f"{written:,} appeals, {events_written:,} events in {len(chosen)} communities: {time.perf_counter() - t0:.0f} s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=100)
    parser.add_argument("--appeals", type=int, default=500_000)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    generate(communities=args.communities, appeals=args.appeals, regenerate=args.regenerate, seed=args.seed)
    counts = dict(
        Appeal.objects.filter(community__in=bench_communities(args.communities))
        .values_list("status")
        .annotate(n=django.db.models.Count("id"))
        .values_list("status", "n")
    )
    total = sum(counts.values())
    print("status mix: " + ", ".join(f"{Status(s).label} {n / total:.1%}" for s, n in sorted(counts.items())))
    overdue = Appeal.objects.open().filter(current_due__lt=timezone.now()).count()
    print(f"overdue now: {overdue:,} ({overdue / total:.1%})")


if __name__ == "__main__":
    main()
