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

Every community also gets a year of visit history (`_VisitHistory`: ~60,000 Visit rows per
community, 7 million at N=122), written the same way. Generated history has no ChangeRecord per
visit: it is history, not an action anybody took, and a change record each would double the
build's biggest table for nothing. Visits in grids 1 and 2 of the first community are
attributed to the demo grid workers wangge1 and wangge2; the others have no visitor.
"""

from __future__ import annotations

import datetime
import json
import math
import random
import time
import unicodedata
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from linli.accounts.choices import Role
from linli.accounts.models import AreaAssignment, User
from linli.areas.models import Building, Community, Grid, Household, Street
from linli.areas.services import room_number
from linli.core import audit
from linli.core.bulk import BulkWriter
from linli.core.models import ChangeAction, ChangeRecord, Source
from linli.residents.choices import Relation, ResidenceType, ResidentStatus
from linli.residents.defaults import install_default_tags
from linli.residents.idcard import make_id_number
from linli.residents.models import Resident, Tag
from linli.residents.search import name_keys
from linli.residents.services import apply_id_number, apply_phone, place
from linli.visits.choices import Outcome, Wellbeing
from linli.visits.models import Visit

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

# 陈奶奶 (76, tenant, living alone) and 蒋桂梅 (a living-alone widow who became grid 1's
# party branch secretary) appear in the article; both live in grid 1.
CHEN_NAME = "陈秀珍"
JIANG_NAME = "蒋桂梅"


def login_rows() -> list[tuple[str, str, str, str]]:
    """(username, password, role in Chinese, what they see) for the table printed at the end."""
    return [(lg.username, DEMO_PASSWORD, f"{Role(lg.role).label} {lg.full_name}", lg.sees) for lg in LOGINS]


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


# --------------------------------------------------------------------------- visit history

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
HISTORY_DAYS = 365
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

    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng, self.today = rng, today
        self.start = today - datetime.timedelta(days=HISTORY_DAYS + 14)
        self._days = [today - datetime.timedelta(days=n) for n in range(HISTORY_DAYS + 60)]
        now = timezone.now()
        tz = timezone.get_current_timezone()
        self._stamps = [min(now, datetime.datetime.combine(d, datetime.time(16, 30), tzinfo=tz)) for d in self._days]

    def _completed(self, r: Resident, ago: int) -> tuple:
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

    def _not_home(self, r: Resident, ago: int) -> tuple:
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

    def rows(self, care: list[tuple[Resident, int]], heads: list[Resident]) -> list[tuple]:
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
                if ago > HISTORY_DAYS:
                    break
                if rng.random() < self.NOT_HOME_RATE and ago + 2 <= HISTORY_DAYS:
                    rows.append(self._not_home(r, ago + rng.randint(1, 2)))  # found at home a day or two later
                rows.append(self._completed(r, ago))
        share: dict[int | None, float] = {}
        for r in heads:
            p = share.get(r.grid_id)
            if p is None:
                p = share[r.grid_id] = rng.uniform(0.4, 0.66)
            if rng.random() >= p:
                continue
            ago = rng.randrange(HISTORY_DAYS - 5)
            if rng.random() < self.NOT_HOME_RATE:
                rows.append(self._not_home(r, ago + rng.randint(1, 3)))
            rows.append(self._completed(r, ago))
            if rng.random() < 0.2:
                rows.append(self._completed(r, rng.randrange(HISTORY_DAYS - 5)))
        rows.sort(key=lambda row: (row[1], row[0]))  # ids in date order, as if logged day by day
        return rows


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
        self._tag_querysets: dict[tuple[str, ...], models.QuerySet] = {}
        self.chen: Resident | None = None
        self.visits = 0

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
        history = _VisitHistory(random.Random(f"{self.seed}:visits:{index}"), self.today)
        care: list[tuple[Resident, int]] = []  # (resident, interval)
        heads: list[Resident] = []  # one resident per occupied household, for the occasional visit
        for household, home in zip(households, plan.homes):
            if not home.members:
                continue
            first_care = len(care)
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
                    # The policy began before the generated visit history (see _VisitHistory).
                    r.visit_policy_since = history.start
                    care.append((r, min(intervals)))
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
            if len(care) == first_care:  # nobody in a care group here
                heads.append(residents[-len(home.members)])
        self.writer.insert(Resident, residents)
        self.writer.insert_rows(Resident.tags.through, ("resident_id", "tag_id"), links)
        self.writer.insert_rows(ChangeRecord, _CHANGE_FIELDS, records)
        visits = history.rows(care, heads)
        _insert_visits(self.writer, visits)
        self.visits += len(visits)
        self.log(
            f"{index + 1:>5}. {street.name} {name}：{len(buildings)}栋 {len(households)}户 "
            f"{len(residents)}人 {len(visits)}条走访记录（{time.perf_counter() - t0:.1f}秒）"
        )
        return community, len(residents)

    # -- logins
    def logins(self, street: Street, community: Community) -> None:
        grids = {g.number: g for g in Grid.objects.filter(community=community, number__in=(1, 2))}
        chen = self.chen
        # Leftover demo logins (their community was deleted by hand) are replaced, not duplicated.
        _purge(User.objects.filter(username__in=DEMO_USERNAMES))
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
            if lg.scope in ("grid1", "grid2"):  # the generated history of their grid was theirs
                Visit.objects.filter(grid=node["grid"]).update(visitor=user)


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


def _purge(queryset, depth: int = 0) -> None:
    """Delete the rows of `queryset` and, first, every row that points at them.

    The area tree and residents are linked with PROTECT, so children go before parents;
    nullable SET_NULL links (a user's resident record, a change record's actor) are cleared.
    Deletes are single statements with subqueries, fast enough for a million residents.
    """
    if depth > 10:
        raise RuntimeError(f"relations too deep while deleting {queryset.model.__name__}")
    opts = queryset.model._meta
    for rel in opts.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        if rel.related_model is queryset.model:
            # A row pointing at a row of its own table (a love bank reversal at the transaction it
            # reverses) goes in the same statement; the constraint is checked at commit.
            continue
        related = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": queryset.values("pk")})
        if rel.on_delete is models.SET_NULL:
            related.update(**{rel.field.name: None})
        else:
            _purge(related, depth + 1)
    queryset._raw_delete(queryset.db)


@transaction.atomic
def reset_demo() -> None:
    """Delete the demo's streets with everything under them, the demo logins and the demo's change records."""
    streets = list(_demo_streets().values_list("pk", flat=True))
    _purge(User.objects.filter(username__in=DEMO_USERNAMES))
    _purge(Street.objects.filter(pk__in=streets))
    ChangeRecord.objects.filter(actor_label__in=DEMO_ACTOR_LABELS).delete()
    from linli.wishes.demo import forget_orphan_photos

    forget_orphan_photos()


@dataclass
class DemoResult:
    created: bool
    communities: int = 0
    residents: int = 0
    visits: int = 0
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
            reset_demo()
            log(f"已删除原有演示数据（{time.perf_counter() - t0:.1f}秒）")
        elif demo_exists():
            return DemoResult(created=False)
        builder = _Builder(seed=seed, today=today, now=timezone.now(), shape=shape, log=log)
        street_codes: set[str] = {STREET_CODE}
        street_names: set[str] = {STREET_NAME}
        community_codes: set[str] = {COMMUNITY_CODE}
        community_names: set[str] = {COMPOUND}
        street_objs: list[Street] = []
        first = None
        visit_keys = _drop_visit_foreign_keys()
        for index in range(communities):
            s = index * streets // communities
            if s == len(street_objs):
                street_objs.append(builder.street(s, street_codes, street_names))
            community, count = builder.community(index, street_objs[s], community_codes, community_names)
            first = first or community
            total += count
        _restore_foreign_keys(visit_keys)
        builder.logins(street_objs[0], first)
        from linli.visits.services import recompute_due_dates

        recompute_due_dates(today=today)  # tags were written in bulk, past residents.services
        from linli.residents.demo import build_demo_contacts

        build_demo_contacts(first, rng=random.Random(f"{seed}:contacts"), log=log)
        from linli.appeals.demo import build_demo_appeals

        # Appeals, their handling organisations and timelines, for the community the demo logins work in.
        build_demo_appeals(street_objs[0], first, rng=random.Random(f"{seed}:appeals"), today=today, log=log)
        from linli.volunteers.demo import build_demo_volunteers

        build_demo_volunteers(first, rng=random.Random(f"{seed}:volunteers"), today=today, log=log)
        from linli.lovebank.demo import build_demo_lovebank

        # The love bank: rules, catalogue, six months of points; 陈奶奶 (jumin) gets a balance.
        build_demo_lovebank(first, builder.chen, rng=random.Random(f"{seed}:lovebank"), today=today, log=log)
        from linli.wishes.demo import build_demo_wishes

        build_demo_wishes(first, rng=random.Random(f"{seed}:wishes"), today=today, log=log)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # fresh statistics, or the planner guesses on an empty table
            for model in (Household, Resident, Resident.tags.through, ChangeRecord, Visit):
                cur.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return DemoResult(
        created=True,
        communities=communities,
        residents=total,
        visits=builder.visits,
        seconds=time.perf_counter() - t0,
    )


__all__ = [
    "ACTOR_LABEL",
    "DEMO_PASSWORD",
    "LOGINS",
    "SEED",
    "SHAPE",
    "CommunityPlan",
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
