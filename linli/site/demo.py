"""Deterministic demo data: the 青和居 community of seed 003, and N communities of its shape.

`build_demo()` creates street 工人村街, community 青和居社区 (19 buildings, 15 grids, 5,235
public-rental homes, 8,234 residents with the care groups the article counts) and one demo
login per role; with `communities=N` it adds N-1 more communities of the same shape for load
and benchmark work (1,000,000 residents at N=122).

Everything comes from one seed (community i draws from `random.Random(f"{seed}:{i}")`): two
runs on empty databases give the same rows, except what is random or time-stamped by design
(AES-GCM nonces, password salts, created_at).

Residents get their derived fields from the resident services (`apply_id_number`,
`apply_phone`, `place`, `name_keys`), but are written in bulk (COPY on PostgreSQL,
bulk_create on SQLite) together with their ChangeRecords, because going through
`create_resident` one by one would take hours for a million rows.

This module builds the base every app stands on: the area tree, the residents, their change records
and the demo logins. Then the apps' demo steps run (registered in each app's shell.py, linli.core.shell;
in order: visits (a year of visit history), residents (emergency contacts), appeals, volunteers, lovebank,
wishes), each given a `Demo`: the communities, the logins, the seed and the day. A new app adds its demo
data by registering a step; nothing here names it.
"""

from __future__ import annotations

import datetime
import json
import math
import random
import time
import unicodedata
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from linli.accounts.choices import Role
from linli.accounts.models import AreaAssignment, User
from linli.areas.models import Building, Community, Grid, Household, Street
from linli.areas.services import room_number
from linli.core import audit, versioned
from linli.core.bulk import BulkWriter, purge
from linli.core.models import ChangeAction, ChangeRecord, Source
from linli.core.shell import Registry, registry
from linli.residents.care import recount_care_members
from linli.residents.choices import Relation, ResidenceType, ResidentStatus
from linli.residents.defaults import install_default_tags
from linli.residents.idcard import make_id_number
from linli.residents.models import Resident, Tag
from linli.residents.search import name_keys
from linli.residents.services import apply_id_number, apply_phone, place

SEED = 20190128  # the day the article about 青和居 appeared
DEMO_PASSWORD = "Linli@2026"
ACTOR_LABEL = "演示数据"  # the actor of the demo's change records, as the history shows it
#: the actor labels of demo builds, this one and earlier ones ("linli demo"): a reset removes them all
DEMO_ACTOR_LABELS = (ACTOR_LABEL, "linli demo")

STREET_CODE, STREET_NAME = "gongrencun", "工人村街"
COMMUNITY_CODE, COMMUNITY_NAME, COMPOUND = "qinghejuju", "青和居社区", "青和居"


@dataclass(frozen=True)
class Shape:
    """The figures of seed 003 (青和居, 2019); every generated community has exactly these."""

    buildings: int = 19
    grids: int = 15
    households: int = 5235
    residents: int = 8234
    elderly: int = 2024  # 60岁以上
    living_alone: int = 669  # 独居老人, each alone in a household
    empty_nest: int = 612  # 空巢老人, in 306 elderly couples living alone
    disabled: int = 130  # 212 "精神病人、残疾人" split into the two tags
    mental_disorder: int = 82
    low_income: int = 823  # households with under 1,000 yuan a month (tag on the head)
    party_members: int = 40
    grid1_residents: int = 554  # 蒋桂梅's notebook: two buildings, 554 residents
    grid1_living_alone: int = 48
    grid1_empty_nest: int = 64
    grid1_disabled: int = 9
    # Not in the article: a realistic sprinkling.
    left_behind_households: int = 24  # grandparents with 留守儿童
    dibao_households: int = 186  # subset of the low-income households
    veterans: int = 57


SHAPE = Shape()
# Buildings per grid, 19 in 15 grids: grid 1 has 1栋 and 2栋 (the notebook), three more have two.
GRID_SIZES = (2, 1, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 2, 1, 1)
# Grid 1's two buildings are smaller, older-style blocks: 2 entrances x 18/20 floors x 4 rooms.
GRID1_DIMS = ((2, 18, 4), (2, 20, 4))
VACANCY = 0.03

# Wuhan district codes; 青和居 is in 青山区, most of its residents were resettled from there.
REGIONS = (
    ("420107", "湖北省武汉市青山区", 60),
    ("420106", "湖北省武汉市武昌区", 6),
    ("420111", "湖北省武汉市洪山区", 6),
    ("420102", "湖北省武汉市江岸区", 4),
    ("420103", "湖北省武汉市江汉区", 3),
    ("420104", "湖北省武汉市硚口区", 3),
    ("420105", "湖北省武汉市汉阳区", 3),
    ("420112", "湖北省武汉市东西湖区", 2),
    ("420113", "湖北省武汉市汉南区", 2),
    ("420114", "湖北省武汉市蔡甸区", 3),
    ("420115", "湖北省武汉市江夏区", 3),
    ("420116", "湖北省武汉市黄陂区", 3),
    ("420117", "湖北省武汉市新洲区", 2),
)
_REGION_CUM = list(accumulate(w for _, _, w in REGIONS))
MOBILE_PREFIXES = (
    "30",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "38",
    "39",
    "50",
    "51",
    "52",
    "53",
    "55",
    "56",
    "57",
    "58",
    "59",
    "66",
    "73",
    "77",
    "80",
    "81",
    "82",
    "83",
    "84",
    "85",
    "86",
    "87",
    "88",
    "89",
    "98",
    "99",
)
RESIDENCE_TYPES = (
    (ResidenceType.TENANT, 70),
    (ResidenceType.PERMANENT, 24),
    (ResidenceType.REGISTERED, 4),
    (ResidenceType.MIGRANT, 2),
)
_RT_VALUES = [rt.value for rt, _ in RESIDENCE_TYPES]
_RT_CUM = list(accumulate(w for _, w in RESIDENCE_TYPES))

# For generated community and street names.
_NAME_FIRST = "青和宜安康乐福祥瑞华新兴明光阳春秋红翠园林松柏桂兰梅竹荷建钢冶武仁友善德丰泰"
_NAME_SECOND = ("居", "苑", "园", "里", "村", "新村", "花园", "家园", "小区")
_STREET_SECOND = ("街", "路街", "桥街", "湖街", "山街", "门街")


# --------------------------------------------------------------------------- logins


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    full_name: str
    scope: str  # "street" | "community" | "grid1" | "grid2" | "" (no assignment) | "self"
    sees: str


LOGINS = (
    DemoLogin("jiedao", Role.STREET_ADMIN, "王建华", "street", "工人村街全部社区、网格和居民"),
    DemoLogin("shuji", Role.SECRETARY, "桂小妹", "community", "青和居社区全部网格、楼栋和居民，可管理账号"),
    DemoLogin("shequ", Role.STAFF, "李晓燕", "community", "青和居社区的居民台账，诉求登记、派单和回访"),
    DemoLogin("wangge1", Role.GRID_WORKER, "蒋桂梅", "grid1", "第1网格：1栋、2栋，554名居民"),
    DemoLogin("wangge2", Role.GRID_WORKER, "刘志刚", "grid2", "第2网格：3栋"),
    DemoLogin("bumen", Role.DEPT_HANDLER, "周涛", "", "青和居物业服务中心收到的诉求：签收、办理（不看居民台账）"),
    DemoLogin("zhiyuan", Role.VOLUNTEER, "夏谋阶", "", "带新长征巡逻队、报名志愿活动、认领微心愿（不看居民台账）"),
    DemoLogin("jumin", Role.RESIDENT, "陈奶奶", "self", "本人档案和爱心银行积分（76岁租户，独居老人）"),
)
DEMO_USERNAMES = tuple(login.username for login in LOGINS)
#: Logins a demo step of an app creates (after the residents it needs exist), printed with the others:
#: (username, role in Chinese, what they see).
STEP_LOGINS = (
    ("jiaren", f"{Role.RESIDENT.label} 陈奶奶的家人", "家人帮忙：查看陈奶奶的通知和诉求（只能看，陈奶奶当面同意）"),
)

# 陈奶奶 (76, tenant, living alone) and 蒋桂梅 (a living-alone widow who became grid 1's
# party branch secretary) appear in the article; both live in grid 1.
CHEN_NAME = "陈秀珍"
JIANG_NAME = "蒋桂梅"


def login_rows() -> list[tuple[str, str, str, str]]:
    """(username, password, role in Chinese, what they see) for the table printed at the end."""
    rows = [(lg.username, DEMO_PASSWORD, f"{Role(lg.role).label} {lg.full_name}", lg.sees) for lg in LOGINS]
    return rows + [(username, DEMO_PASSWORD, role, sees) for username, role, sees in STEP_LOGINS]


def format_logins() -> str:
    rows = [("用户名", "密码", "角色", "能看到什么"), *login_rows()]
    widths = [max(_width(row[i]) for row in rows) for i in range(4)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


# --------------------------------------------------------------------------- planning (no database)


class _Person:
    __slots__ = ("name", "sex", "birth", "relation", "phone", "tags", "id_number", "region", "notable")

    def __init__(self, name, sex, birth, relation, phone):
        self.name, self.sex, self.birth, self.relation, self.phone = name, sex, birth, relation, phone
        self.tags: list[str] = []
        self.id_number = ""
        self.region = 0
        self.notable = ""


class _Home:
    """One room of a building and who lives there (nobody for a vacant room)."""

    __slots__ = ("building", "entrance", "floor", "room", "kind", "members", "residence_type")

    def __init__(self, building, entrance, floor, room):
        self.building, self.entrance, self.floor, self.room = building, entrance, floor, room
        self.kind = "vacant"
        self.members: list[_Person] = []
        self.residence_type = ResidenceType.TENANT


@dataclass
class CommunityPlan:
    dims: list[tuple[int, int, int]]  # per building: entrances, floors, rooms per floor
    grid_of: list[int]  # per building: grid number
    homes: list[_Home]  # every room, in (building, entrance, floor, room) order

    @property
    def people(self):
        return [p for h in self.homes for p in h.members]


class Names:
    """Chinese names from Faker's zh_CN lists, picked with our own Random; pinyin cached per name."""

    def __init__(self):
        from faker.providers.person.zh_CN import Provider

        self.surnames = list(Provider.last_names)
        self.surname_cum = list(accumulate(Provider.last_names.values()))
        self.given = {"M": list(Provider.first_names_male), "F": list(Provider.first_names_female)}
        self.single = {sex: [n for n in names if len(n) == 1] for sex, names in self.given.items()}
        self._keys: dict[str, tuple[str, str]] = {}

    def surname(self, rng: random.Random) -> str:
        return self.surnames[bisect(self.surname_cum, rng.random() * self.surname_cum[-1])]

    def given_name(self, rng: random.Random, sex: str) -> str:
        if rng.random() < 0.3:  # two-character given names are common; compose them from singles
            singles = self.single[sex]
            return singles[int(rng.random() * len(singles))] + singles[int(rng.random() * len(singles))]
        names = self.given[sex]
        return names[int(rng.random() * len(names))]

    def keys(self, name: str) -> tuple[str, str]:
        keys = self._keys.get(name)
        if keys is None:
            keys = self._keys[name] = name_keys(name)
        return keys


class IdNumbers:
    """Hands out distinct ID numbers: a counter per (district, birth date, sex) over a run."""

    _BASE = datetime.date(1900, 1, 1).toordinal()
    _DAYS = datetime.date(2100, 1, 1).toordinal() - _BASE

    def __init__(self):
        self.used = bytearray(len(REGIONS) * self._DAYS * 2)

    def make(self, rng: random.Random, birth: datetime.date, sex: str, region: int | None = None) -> tuple[str, int]:
        if region is None:
            region = bisect(_REGION_CUM, rng.random() * _REGION_CUM[-1])
        day = birth.toordinal() - self._BASE
        for _ in range(len(REGIONS)):
            slot = ((region * self._DAYS) + day) * 2 + (sex == "F")
            sequence = self.used[slot]
            if sequence < 100:
                self.used[slot] = sequence + 1
                return make_id_number(REGIONS[region][0], birth, sequence, sex), region
            region = (region + 1) % len(REGIONS)
        raise RuntimeError(f"no ID numbers left for {birth} {sex}")


def _apportion(total: int, weights: list[int]) -> list[int]:
    """Split `total` in proportion to `weights`, largest remainders first (exact and deterministic)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _building_dims(rng: random.Random, shape: Shape) -> list[tuple[int, int, int]]:
    """Public-rental high-rises: 2-3 entrances, 18-33 floors, 4-6 rooms per floor; exact total."""
    combos: dict[int, list[tuple[int, int, int]]] = {}
    for e in (2, 3):
        for f in range(18, 34):
            for r in (4, 5, 6):
                combos.setdefault(e * f * r, []).append((e, f, r))
    sizes = sorted(combos)
    fixed = list(GRID1_DIMS)
    rest_total = shape.households - sum(e * f * r for e, f, r in fixed)
    free = shape.buildings - len(fixed)
    for _ in range(1000):
        dims, left = [], rest_total
        for i in range(free - 2):
            mean = left / (free - i)
            near = [s for s in sizes if 0.8 * mean <= s <= 1.2 * mean] or sizes
            size = rng.choice(near)
            dims.append(rng.choice(combos[size]))
            left -= size
        pairs = [(a, left - a) for a in sizes if (left - a) in combos and 0.6 * left / 2 <= a <= 1.4 * left / 2]
        if pairs:
            a, b = rng.choice(pairs)
            dims += [rng.choice(combos[a]), rng.choice(combos[b])]
            return fixed + dims
    raise RuntimeError("could not lay out the buildings")  # pragma: no cover


class _Planner:
    """Plans one community: buildings, rooms, households, people and tags, no database."""

    def __init__(self, rng: random.Random, names: Names, ids: IdNumbers, today: datetime.date, shape: Shape):
        self.rng, self.names, self.ids, self.shape = rng, names, ids, shape
        self.year = today.year
        self.jan1 = {}

    # -- people
    def _birth(self, year: int) -> datetime.date:
        start = self.jan1.get(year)
        if start is None:
            start = self.jan1[year] = datetime.date(year, 1, 1).toordinal()
        return datetime.date.fromordinal(start + int(self.rng.random() * 365))

    def _phone(self, age: int) -> str:
        rng = self.rng
        if age < 16 or rng.random() > (0.93 if age <= 70 else 0.6 if age <= 85 else 0.35):
            return ""
        return "1" + MOBILE_PREFIXES[int(rng.random() * len(MOBILE_PREFIXES))] + f"{int(rng.random() * 1e8):08d}"

    def person(self, sex: str, byear: int, relation: str, surname: str | None = None) -> _Person:
        name = (surname or self.names.surname(self.rng)) + self.names.given_name(self.rng, sex)
        return _Person(name, sex, self._birth(byear), relation, self._phone(self.year - byear))

    # Birth-year ranges. Over-60s are born in year-62 or earlier (at least 61 on 1 January, so
    # still over 60 all year); everyone else in year-58 or later (under 60 until next year).
    def elderly_year(self, low: int, high: int, mode: int) -> int:
        return self.year - round(self.rng.triangular(low, high, mode))

    def young_year(self, low: int, high: int) -> int:
        """A birth year between `low` and `high` years ago, clamped to under-60s born before this year."""
        low, high = max(low, 1), min(high, 58)
        return self.year - self.rng.randint(low, high)

    def _clamp_young(self, byear: int, max_age: int = 58, min_age: int = 20) -> int:
        return min(max(byear, self.year - max_age), self.year - min_age)

    def _other_sex(self, sex: str) -> str:
        return "F" if sex == "M" else "M"

    def _spouse(self, head: _Person, byear: int, elderly: bool) -> _Person:
        byear += self.rng.randint(-3, 4) if head.sex == "M" else self.rng.randint(-4, 3)
        byear = min(byear, self.year - 62) if elderly else self._clamp_young(byear, min_age=20)
        return self.person(self._other_sex(head.sex), byear, Relation.SPOUSE)

    def _child_year(self, *parent_years: int, max_age: int = 58) -> int | None:
        """A child's birth year: at least 20 years after the younger parent, at most 40 after the older."""
        low = max(max(parent_years) + 20, self.year - max_age)
        high = min(min(parent_years) + 40, self.year - 1)
        return self.rng.randint(low, high) if low <= high else None

    def _father_surname(self, *adults: _Person) -> str:
        for a in adults:
            if a.sex == "M":
                return a.name[0]
        return adults[0].name[0]

    # -- households
    def living_alone(self) -> list[_Person]:
        sex = "F" if self.rng.random() < 0.64 else "M"
        p = self.person(sex, self.elderly_year(63, 96, 79), Relation.HEAD)
        p.tags += ["elderly60", "living_alone"]
        return [p]

    def empty_nest(self) -> list[_Person]:
        byear = self.elderly_year(62, 92, 72)
        head = self.person("M", byear, Relation.HEAD)
        spouse = self._spouse(head, byear, elderly=True)
        for p in (head, spouse):
            p.tags += ["elderly60", "empty_nest"]
        return [head, spouse]

    def family_with_elderly(self, k: int) -> list[_Person]:
        rng = self.rng
        eyear = self.elderly_year(62, 90, 71)
        elders_head = rng.random() < 0.5
        e1 = self.person(
            "M" if k == 2 or rng.random() < 0.45 else "F", eyear, Relation.HEAD if elders_head else Relation.PARENT
        )
        elders = [e1]
        if k == 2:
            e2 = self._spouse(e1, eyear, elderly=True)
            e2.relation = Relation.SPOUSE if elders_head else Relation.PARENT
            elders.append(e2)
        for e in elders:
            e.tags.append("elderly60")
        eyears = [e.birth.year for e in elders]
        cyear = self._child_year(*eyears)
        if elders_head:
            child_sex = "M" if rng.random() < 0.55 else "F"
            child = self.person(child_sex, cyear, Relation.CHILD, surname=self._father_surname(*elders))
            members = [*elders, child]
            if rng.random() < 0.5 and self.year - cyear >= 24:
                in_law = self.person(
                    self._other_sex(child_sex),
                    self._clamp_young(cyear + rng.randint(-3, 3), min_age=22),
                    Relation.CHILD_IN_LAW,
                )
                members.append(in_law)
                gyear = self._child_year(cyear, in_law.birth.year)
                if gyear is not None and rng.random() < 0.6:
                    father = child if child.sex == "M" else in_law
                    members.append(
                        self.person(
                            "M" if rng.random() < 0.5 else "F", gyear, Relation.GRANDCHILD, surname=father.name[0]
                        )
                    )
            return members
        head = self.person(
            "M" if rng.random() < 0.6 else "F", cyear, Relation.HEAD, surname=self._father_surname(*elders)
        )
        members = [head, *elders]
        if rng.random() < 0.7 and self.year - cyear >= 24:
            spouse = self._spouse(head, cyear, elderly=False)
            members.insert(1, spouse)
            kyear = self._child_year(cyear, spouse.birth.year)
            if kyear is not None and rng.random() < 0.6:
                members.append(
                    self.person(
                        "M" if rng.random() < 0.5 else "F",
                        kyear,
                        Relation.CHILD,
                        surname=self._father_surname(head, spouse),
                    )
                )
        return members

    def left_behind(self, k: int) -> list[_Person]:
        """Grandparents bringing up grandchildren whose parents work away (留守儿童)."""
        rng = self.rng
        eyear = self.elderly_year(62, 80, 67)
        head = self.person("M" if k == 2 or rng.random() < 0.4 else "F", eyear, Relation.HEAD)
        members = [head]
        if k == 2:
            members.append(self._spouse(head, eyear, elderly=True))
        for e in members:
            e.tags.append("elderly60")
        for _ in range(1 if rng.random() < 0.6 else 2):
            kid = self.person(
                "M" if rng.random() < 0.52 else "F",
                self.young_year(3, 15),
                Relation.GRANDCHILD,
                surname=self._father_surname(*members[:k]),
            )
            kid.tags.append("left_behind_child")
            members.append(kid)
        return members

    def young_household(self, size: int) -> list[_Person]:
        rng = self.rng
        if size == 1:
            byear = self.year - round(rng.triangular(20, 58, 30))
            return [self.person("M" if rng.random() < 0.55 else "F", byear, Relation.HEAD)]
        single_parent = (size == 2 and rng.random() < 0.28) or (size == 3 and rng.random() < 0.15)
        hyear = self.young_year(26, 55)
        head_sex = ("F" if rng.random() < 0.75 else "M") if single_parent else ("M" if rng.random() < 0.85 else "F")
        head = self.person(head_sex, hyear, Relation.HEAD)
        adults = [head]
        if not single_parent:
            adults.append(self._spouse(head, hyear, elderly=False))
        members = list(adults)
        n_children = size - len(adults)
        sibling = size == 5 and rng.random() < 0.4
        if sibling:
            n_children -= 1
        surname = self._father_surname(*adults)
        for _ in range(n_children):
            cyear = self._child_year(*(a.birth.year for a in adults), max_age=35)
            if cyear is None:  # parents too young for this many children: the room goes to a sibling
                cyear = self._clamp_young(hyear + rng.randint(-6, 6))
                members.append(
                    self.person("M" if rng.random() < 0.5 else "F", cyear, Relation.SIBLING, surname=head.name[0])
                )
                continue
            members.append(self.person("M" if rng.random() < 0.52 else "F", cyear, Relation.CHILD, surname=surname))
        if sibling:
            members.append(
                self.person(
                    "M" if rng.random() < 0.5 else "F",
                    self._clamp_young(hyear + rng.randint(-6, 6)),
                    Relation.SIBLING,
                    surname=head.name[0],
                )
            )
        return members

    def _sizes(self, count: int, total: int) -> list[int]:
        """`count` household sizes (1-5) adding up to `total`: public-rental homes, many singles."""
        rng = self.rng
        sizes = rng.choices((1, 2, 3, 4, 5), weights=(46, 28, 17, 7, 2), k=count)
        diff = total - sum(sizes)
        while diff:
            i = int(rng.random() * count)
            if diff > 0 and sizes[i] < 5:
                sizes[i] += 1
                diff -= 1
            elif diff < 0 and sizes[i] > 1:
                sizes[i] -= 1
                diff += 1
        return sizes

    # -- the community
    def plan(self, notables: bool) -> CommunityPlan:
        rng, shape = self.rng, self.shape
        dims = _building_dims(rng, shape)
        grid_of = [g for g, n in enumerate(GRID_SIZES, start=1) for _ in range(n)]
        grid1 = [i for i, g in enumerate(grid_of) if g == 1]
        rest = [i for i, g in enumerate(grid_of) if g != 1]
        rooms = [e * f * r for e, f, r in dims]

        def split(grid1_total, total):
            parts = [0] * len(dims)
            for idx, part in zip(grid1, _apportion(grid1_total, [rooms[i] for i in grid1])):
                parts[idx] = part
            for idx, part in zip(rest, _apportion(total - grid1_total, [rooms[i] for i in rest])):
                parts[idx] = part
            return parts

        residents = split(shape.grid1_residents, shape.residents)
        alone = split(shape.grid1_living_alone, shape.living_alone)
        couples = split(shape.grid1_empty_nest // 2, shape.empty_nest // 2)
        other_elderly = _apportion(shape.elderly - shape.living_alone - shape.empty_nest, residents)
        left_behind = [0] * len(dims)
        for _ in range(shape.left_behind_households):
            left_behind[rng.choice(rest)] += 1

        homes: list[_Home] = []
        for b, (entrances, floors, per_floor) in enumerate(dims):
            households: list[tuple[str, list[_Person]]] = []
            households += [("alone", self.living_alone()) for _ in range(alone[b])]
            households += [("nest", self.empty_nest()) for _ in range(couples[b])]
            elders = other_elderly[b]
            for _ in range(left_behind[b]):
                k = min(elders, 1 if rng.random() < 0.4 else 2)
                if k:
                    households.append(("left_behind", self.left_behind(k)))
                    elders -= k
            while elders:
                k = 2 if elders >= 2 and rng.random() < 0.4 else 1
                households.append(("family", self.family_with_elderly(k)))
                elders -= k
            young = residents[b] - sum(len(m) for _, m in households)
            free_rooms = rooms[b] - len(households)
            count = min(free_rooms - round(rooms[b] * VACANCY), young)
            count = max(count, math.ceil(young / 5))
            if young < 0 or count > free_rooms:
                raise RuntimeError(f"building {b + 1}: {residents[b]} residents do not fit in {rooms[b]} rooms")
            households += [("young", self.young_household(size)) for size in self._sizes(count, young)]

            building_homes = [
                _Home(b, e, f, room_number(f, r))
                for e in range(1, entrances + 1)
                for f in range(1, floors + 1)
                for r in range(1, per_floor + 1)
            ]
            for home, (kind, members) in zip(rng.sample(building_homes, len(households)), households):
                home.kind, home.members = kind, members
                home.residence_type = _RT_VALUES[bisect(_RT_CUM, rng.random() * _RT_CUM[-1])]
            homes += building_homes

        plan = CommunityPlan(dims=dims, grid_of=grid_of, homes=homes)
        if notables:
            self._notables(plan)
        self._tags(plan)
        self._id_numbers(plan)
        return plan

    def _notables(self, plan: CommunityPlan) -> None:
        """陈奶奶 (76, tenant, living alone) in 1栋 and 蒋桂梅 (living-alone widow, party member) in 2栋."""
        chen = next(h for h in plan.homes if h.building == 0 and h.kind == "alone")
        jiang = next(h for h in plan.homes if h.building == 1 and h.kind == "alone")
        for home, name, birth in (
            # Born on 1 January so that she is 76 all year.
            (chen, CHEN_NAME, datetime.date(self.year - 76, 1, 1)),
            (jiang, JIANG_NAME, datetime.date(self.year - 64, 3, 8)),
        ):
            p = home.members[0]
            p.name, p.sex, p.birth, p.notable = name, "F", birth, name
            p.phone = p.phone or self._phone(60)
            home.residence_type = ResidenceType.TENANT
        jiang.members[0].tags.append("party_member")

    def _tags(self, plan: CommunityPlan) -> None:
        rng, shape, year = self.rng, self.shape, self.year
        people = [(h.building, p) for h in plan.homes for p in h.members]
        grid1 = {i for i, g in enumerate(plan.grid_of) if g == 1}
        age = lambda p: year - p.birth.year  # noqa: E731

        def pick(pool, k, tag):
            for p in rng.sample(pool, k):
                p.tags.append(tag)

        pick([p for b, p in people if b in grid1 and age(p) >= 3], shape.grid1_disabled, "disabled")
        pick(
            [p for b, p in people if b not in grid1 and age(p) >= 3], shape.disabled - shape.grid1_disabled, "disabled"
        )
        pick(
            [p for _, p in people if age(p) >= 16 and "disabled" not in p.tags],
            shape.mental_disorder,
            "mental_disorder",
        )
        party = sum("party_member" in p.tags for _, p in people)
        # Party members are mostly older residents: sample the over-45s twice as often.
        pool = [p for _, p in people if age(p) >= 23 and "party_member" not in p.tags]
        weighted = pool + [p for p in pool if age(p) >= 45]
        chosen: list[_Person] = []
        seen: set[int] = set()
        while len(chosen) < shape.party_members - party:
            p = weighted[int(rng.random() * len(weighted))]
            if id(p) not in seen:
                seen.add(id(p))
                chosen.append(p)
        for p in chosen:
            p.tags.append("party_member")
        pick([p for _, p in people if p.sex == "M" and 35 <= age(p) <= 85], shape.veterans, "veteran")
        occupied = [h for h in plan.homes if h.members]
        low_income = rng.sample(occupied, shape.low_income)
        for h in low_income:
            h.members[0].tags.append("low_income")
        for h in rng.sample(low_income, shape.dibao_households):
            h.members[0].tags.append("dibao")

    def _id_numbers(self, plan: CommunityPlan) -> None:
        for h in plan.homes:
            for p in h.members:
                region = 0 if p.notable else None
                p.id_number, p.region = self.ids.make(self.rng, p.birth, p.sex, region)


def plan_community(
    seed: int,
    index: int,
    today: datetime.date,
    *,
    names: Names | None = None,
    ids: IdNumbers | None = None,
    shape: Shape = SHAPE,
) -> CommunityPlan:
    """The plan of community `index` (0 = 青和居 with 陈奶奶 and 蒋桂梅) of a run with `seed`."""
    rng = random.Random(f"{seed}:{index}")
    return _Planner(rng, names or Names(), ids or IdNumbers(), today, shape).plan(notables=index == 0)


# --------------------------------------------------------------------------- what the apps' steps get

#: The generated history (visits, …) covers this many days back; care-group visit policies began two weeks earlier.
HISTORY_DAYS = 365


@dataclass
class Demo:
    """What a demo step (linli.core.shell.demo_step) builds on: the base community, its logins, the seed."""

    seed: int
    today: datetime.date
    street: Street  # 工人村街, the first street
    community: Community  # 青和居社区, where the demo logins work
    communities: list[Community]  # every community of the run, in order (community i drew from f"{seed}:{i}")
    users: dict[str, User]  # the demo logins by username
    chen: Resident  # 陈奶奶, the resident login's record
    history_days: int
    history_start: datetime.date  # the care groups' visit policies began here (Resident.visit_policy_since)
    log: Callable[[str], object] = print

    def rng(self, name: str) -> random.Random:
        """The step's own Random: what one step draws changes nothing in another's data."""
        return random.Random(f"{self.seed}:{name}")


# --------------------------------------------------------------------------- writing


_CHANGE_FIELDS = (
    "at",
    "actor_label",
    "source",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "changes",
    "note",
)


def _dumps(changes: dict) -> str:
    return json.dumps(changes, ensure_ascii=False)


class _Builder:
    """Writes planned communities to the database."""

    def __init__(self, *, seed: int, today: datetime.date, now: datetime.datetime, shape: Shape, log):
        self.seed, self.today, self.now, self.shape, self.log = seed, today, now, shape, log
        self.names = Names()
        self.ids = IdNumbers()
        self.writer = BulkWriter()
        install_default_tags(Tag)
        self.tags = {t.code: t for t in Tag.objects.all()}
        self.ct = {m: ContentType.objects.get_for_model(m).pk for m in (Street, Community, Grid, Building, Resident)}
        self._tag_querysets: dict[tuple[str, ...], QuerySet] = {}
        self.chen: Resident | None = None
        # Care-group residents' visit policies began before the generated history (the visits app's demo step).
        self.history_start = today - datetime.timedelta(days=HISTORY_DAYS + 14)

    # -- audit
    def _record(self, model, obj_id: int, repr_: str, changes: dict) -> tuple:
        return (
            self.now,
            ACTOR_LABEL,
            Source.CLI,
            ChangeAction.CREATE,
            self.ct[model],
            obj_id,
            repr_[:200],
            _dumps(changes),
            "",
        )

    def _record_of(self, obj) -> tuple:
        """As audit.record(obj, CREATE, None, snapshot(obj), Actor.cli(ACTOR_LABEL)) would write it."""
        return self._record(type(obj), obj.pk, str(obj), audit.diff(None, audit.snapshot(obj)))

    def _tag_cache(self, codes: tuple[str, ...]):
        """A ready-made `resident.tags.all()` result, so that snapshot() lists tags without a query."""
        qs = self._tag_querysets.get(codes)
        if qs is None:
            qs = Tag.objects.filter(code__in=codes)
            qs._result_cache = sorted((self.tags[c] for c in codes), key=lambda t: (t.order, t.pk))
            qs._prefetch_done = True
            self._tag_querysets[codes] = qs
        return qs

    # -- area tree
    def street(self, index: int, used_codes: set[str], used_names: set[str]) -> Street:
        if index == 0:
            street = Street.objects.filter(code=STREET_CODE).first()
            if street is None:
                street = Street.objects.create(code=STREET_CODE, name=STREET_NAME)
                self.writer.insert_rows(ChangeRecord, _CHANGE_FIELDS, [self._record_of(street)])
            return street
        rng = random.Random(f"{self.seed}:street:{index}")
        name = _generated_name(rng, _STREET_SECOND, used_names, set(Street.objects.values_list("name", flat=True)))
        street = Street.objects.create(code=_unique_code(name, used_codes, Street), name=name)
        self.writer.insert_rows(ChangeRecord, _CHANGE_FIELDS, [self._record_of(street)])
        return street

    def community(
        self, index: int, street: Street, used_codes: set[str], used_names: set[str]
    ) -> tuple[Community, int]:
        """Create community `index` of the run under `street`; returns it and its resident count."""
        t0 = time.perf_counter()
        plan = _Planner(random.Random(f"{self.seed}:{index}"), self.names, self.ids, self.today, self.shape).plan(
            notables=index == 0
        )
        if index == 0:
            code, name, compound = COMMUNITY_CODE, COMMUNITY_NAME, COMPOUND
        else:
            rng = random.Random(f"{self.seed}:name:{index}")
            name = _generated_name(rng, _NAME_SECOND, used_names, set()) + "社区"
            compound = name.removesuffix("社区")
            code = _unique_code(compound, used_codes, Community)
        community = Community.objects.create(
            street=street,
            code=code,
            name=name,
            address=f"武汉市青山区{street.name}{compound}党群服务中心",
            phone=f"027-86{random.Random(f'{self.seed}:phone:{index}').randrange(100000, 1000000)}",
        )
        grids = Grid.objects.bulk_create(
            Grid(community=community, number=n, name=f"第{n}网格") for n in range(1, self.shape.grids + 1)
        )
        if grids[0].pk is None:  # backends that cannot return ids from a bulk insert
            grids = list(Grid.objects.filter(community=community).order_by("number"))
        grid_by_number = {g.number: g for g in grids}
        buildings = Building.objects.bulk_create(
            Building(
                community=community,
                grid=grid_by_number[plan.grid_of[i]],
                number=i + 1,
                name=f"{i + 1}栋",
                compound=compound,
                entrances=e,
                floors=f,
                rooms_per_floor=r,
            )
            for i, (e, f, r) in enumerate(plan.dims)
        )
        versioned.touched(Grid, Building)  # bulk inserts send no post_save: cached grid and building lists are stale
        if buildings[0].pk is None:
            buildings = list(Building.objects.filter(community=community).order_by("number"))
            for b in buildings:  # what `place` reads: building.community.street_id
                b.community = community
        records = [self._record_of(community), *map(self._record_of, grids), *map(self._record_of, buildings)]

        household_ids = self.writer.reserve_ids(Household, len(plan.homes))
        households = [
            Household(
                pk=pk, building=buildings[home.building], entrance=home.entrance, floor=home.floor, room=home.room
            )
            for pk, home in zip(household_ids, plan.homes)
        ]
        self.writer.insert(Household, households)

        people = sum(len(h.members) for h in plan.homes)
        resident_ids = iter(self.writer.reserve_ids(Resident, people))
        residents, links = [], []
        tag_ids = {code: t.pk for code, t in self.tags.items()}
        hukou = [place_name for _, place_name, _ in REGIONS]
        keys = self.names.keys
        snapshot, diff = audit.snapshot, audit.diff
        now = self.now
        ct_resident = self.ct[Resident]
        for household, home in zip(households, plan.homes):
            if not home.members:
                continue
            for p in home.members:
                r = Resident(
                    pk=next(resident_ids),
                    name=p.name,
                    relation=p.relation,
                    residence_type=home.residence_type,
                    status=ResidentStatus.ACTIVE,
                    hukou_place=hukou[p.region],
                    created_at=now,
                    updated_at=now,
                )
                intervals = [self.tags[c].visit_interval_days for c in p.tags if self.tags[c].visit_interval_days]
                place(r, household)
                if intervals:
                    r.visit_policy_since = self.history_start
                apply_id_number(r, p.id_number)
                apply_phone(r, p.phone)
                r.name_pinyin, r.name_initials = keys(r.name)
                residents.append(r)
                if p.notable == CHEN_NAME:
                    self.chen = r
                for code in p.tags:
                    links.append((r.pk, tag_ids[code]))
                # Exactly what create_resident records: the audited snapshot, tags included.
                r._prefetched_objects_cache = {"tags": self._tag_cache(tuple(p.tags))}
                changes = diff(None, snapshot(r))
                del r._prefetched_objects_cache
                records.append(
                    (
                        now,
                        ACTOR_LABEL,
                        Source.CLI,
                        ChangeAction.CREATE,
                        ct_resident,
                        r.pk,
                        str(r)[:200],
                        _dumps(changes),
                        "",
                    )
                )
        self.writer.insert(Resident, residents)
        self.writer.insert_rows(Resident.tags.through, ("resident_id", "tag_id"), links)
        self.writer.insert_rows(ChangeRecord, _CHANGE_FIELDS, records)
        # The tags were written past residents.services: mark the community's households in need.
        recount_care_members(Household.objects.filter(building__community=community).values("pk"))
        self.log(
            f"{index + 1:>5}. {street.name} {name}：{len(buildings)}栋 {len(households)}户 "
            f"{len(residents)}人（{time.perf_counter() - t0:.1f}秒）"
        )
        return community, len(residents)

    # -- logins
    def logins(self, street: Street, community: Community) -> dict[str, User]:
        grids = {g.number: g for g in Grid.objects.filter(community=community, number__in=(1, 2))}
        chen = self.chen
        # Leftover demo logins (their community was deleted by hand) are replaced, not duplicated.
        purge(User.objects.filter(username__in=DEMO_USERNAMES))
        users = {}
        password = make_password(DEMO_PASSWORD)  # one hash for all eight: PBKDF2 is slow on purpose
        for lg in LOGINS:
            user = User(username=lg.username, role=lg.role, full_name=lg.full_name, password=password)
            # Owned by the community (the street for jiedao): its secretary lists and manages bumen and zhiyuan,
            # which hold no assignment (linli.accounts.querysets.UserQuerySet.restrict).
            user.owner_street = street
            user.owner_community = None if lg.scope == "street" else community
            validate_password(DEMO_PASSWORD, user)
            if lg.scope == "self":
                user.resident = chen
                user.phone = chen.phone
            user.save()
            node = {
                "street": {"street": street},
                "community": {"community": community},
                "grid1": {"grid": grids[1]},
                "grid2": {"grid": grids[2]},
            }.get(lg.scope)
            if node:
                AreaAssignment.objects.create(user=user, **node)
            users[lg.username] = user
        return users


def _generated_name(rng: random.Random, seconds, used: set[str], taken: set[str]) -> str:
    for _ in range(10000):
        a, b = rng.sample(_NAME_FIRST, 2)
        name = a + b + rng.choice(seconds)
        if name not in used and name not in taken and name != COMPOUND:
            used.add(name)
            return name
    raise RuntimeError("ran out of names")  # pragma: no cover


def _unique_code(name: str, used: set[str], model) -> str:
    base = name_keys(name)[0][:28] or "demo"
    code, n = base, 1
    while code in used or model.objects.filter(code=code).exists():
        n += 1
        code = f"{base}{n}"
    used.add(code)
    return code


# --------------------------------------------------------------------------- entry points


def demo_exists() -> bool:
    return Community.objects.filter(code=COMMUNITY_CODE).exists()


def _demo_streets():
    ids = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Street),
        actor_label__in=DEMO_ACTOR_LABELS,
        action=ChangeAction.CREATE,
    ).values("object_id")
    return Street.objects.filter(Q(code=STREET_CODE) | Q(pk__in=ids))


@transaction.atomic
def reset_demo(shell: Registry = registry) -> None:
    """Delete the demo's streets with everything under them, the demo logins and the demo's change records (the
    command's and the demo logins'); then each demo step's own clean-up (files the deleted rows pointed at)."""
    streets = list(_demo_streets().values_list("pk", flat=True))
    # the demo logins' own records (a departure marked by shequ) would otherwise outlive them with no actor
    ChangeRecord.objects.filter(actor__username__in=DEMO_USERNAMES).delete()
    purge(User.objects.filter(username__in=DEMO_USERNAMES))
    purge(Street.objects.filter(pk__in=streets))
    ChangeRecord.objects.filter(actor_label__in=DEMO_ACTOR_LABELS).delete()
    for step in shell.demo_plan():
        if step.reset:
            step.reset()


@dataclass
class DemoResult:
    created: bool
    communities: int = 0
    residents: int = 0
    seconds: float = 0.0


def build_demo(
    *,
    communities: int = 1,
    streets: int | None = None,
    seed: int = SEED,
    reset: bool = False,
    today: datetime.date | None = None,
    shape: Shape = SHAPE,
    log=lambda line: None,
    shell: Registry = registry,
) -> DemoResult:
    """Build the demo (see the module docstring); does nothing when it already exists, unless `reset`."""
    if communities < 1:
        raise ValueError("communities must be at least 1")
    streets = streets or math.ceil(communities / 10)
    if not 1 <= streets <= communities:
        raise ValueError("streets must be between 1 and the number of communities")
    t0 = time.perf_counter()
    today = today or timezone.localdate()
    total = 0
    with transaction.atomic():
        if reset:
            reset_demo(shell)
            log(f"已删除原有演示数据（{time.perf_counter() - t0:.1f}秒）")
        elif demo_exists():
            return DemoResult(created=False)
        builder = _Builder(seed=seed, today=today, now=timezone.now(), shape=shape, log=log)
        street_codes: set[str] = {STREET_CODE}
        street_names: set[str] = {STREET_NAME}
        community_codes: set[str] = {COMMUNITY_CODE}
        community_names: set[str] = {COMPOUND}
        street_objs: list[Street] = []
        communities_built: list[Community] = []
        for index in range(communities):
            s = index * streets // communities
            if s == len(street_objs):
                street_objs.append(builder.street(s, street_codes, street_names))
            community, count = builder.community(index, street_objs[s], community_codes, community_names)
            communities_built.append(community)
            total += count
        first = communities_built[0]
        users = builder.logins(street_objs[0], first)
        demo = Demo(
            seed=seed,
            today=today,
            street=street_objs[0],
            community=first,
            communities=communities_built,
            users=users,
            chen=builder.chen,
            history_days=HISTORY_DAYS,
            history_start=builder.history_start,
            log=log,
        )
        for step in shell.demo_plan():
            step.build(demo)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # fresh statistics, or the planner guesses on tables just filled
            cur.execute("ANALYZE")
    return DemoResult(
        created=True,
        communities=communities,
        residents=total,
        seconds=time.perf_counter() - t0,
    )


__all__ = [
    "ACTOR_LABEL",
    "DEMO_PASSWORD",
    "LOGINS",
    "SEED",
    "SHAPE",
    "CommunityPlan",
    "Demo",
    "DemoResult",
    "Names",
    "IdNumbers",
    "Shape",
    "build_demo",
    "demo_exists",
    "format_logins",
    "login_rows",
    "plan_community",
    "reset_demo",
]
