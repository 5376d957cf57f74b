"""好人好事墙: the good deeds of a node, from the love bank (approved deeds with their story and points) and the
volunteers' service records (confirmed attendance: the activity and its hours).

A person's name is shown only when they agreed (one WallConsent per person, linli.bigscreen.consent, recorded by
staff); otherwise “一位志愿者” / “一位居民”, or the building (“3栋的一位居民”) — never below the building.
Free text (a deed's story, an activity's title) is scrubbed before it is shown: any name of a resident, volunteer or
account holder of the node other than the consenting person's own, phone and ID numbers, and room numbers are
replaced. Entries staff hid (WallHidden) are left out.

A screen's wall (`public_wall`) is reused for LINLI_FIGURES_CACHE_SECONDS per node, like its figures, so a display
refreshing every few minutes does not read the deed and activity tables each time; hiding or showing an entry and a
change of consent bump the node's wall version (`forget_wall`), so they take effect at the next refresh. New deeds
and services appear within the cache time. The staff's moderation page always builds the wall afresh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import zip_longest

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from linli.areas.models import Community
from linli.bigscreen.choices import WallKind
from linli.bigscreen.consent import Consents, consents
from linli.bigscreen.models import WallHidden
from linli.core.figures import cached_report
from linli.dashboards.board import number

WALL_SIZE = 30  # entries per kind at most, newest first
TEXT_MAX = 120
ANONYMOUS_VOLUNTEER = "一位志愿者"
ANONYMOUS_RESIDENT = "一位居民"
MASK = "某某"
#: Digit runs that may be a phone, an ID number or a room: phones and IDs (7 or more digits, an ID's final X),
#: rooms written “3单元502”, “502室”, “3-2-502”, “502号房”.
NUMBERS = re.compile(
    r"\d{6,}[\dXx]?|\d+\s*单元\s*\d+\s*(?:室|号)?|\d{3,4}\s*(?:室|号房|户)|\d+-\d+(?:-\d+)?",
)

#: How neighbours name one another in a story: a surname with 大爷, 奶奶, 阿姨 … (张大爷) or after 老 / 小 (老王).
#: On a public screen these point at one person as surely as a name: the surname becomes 某 (某大爷, 老某). The
#: surnames are the common ones only, so 小区, 老人 and 小朋友 stay as they are.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方邹熊孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武戴孔汤庞樊兰殷施严牛温芦季俞章鲁葛伍申尤毕聂柴焦"
)
KINSHIP = "|".join(
    ("大爷", "大妈", "大娘", "大伯", "大叔", "大婶", "大姐", "大哥", "爷爷", "奶奶", "阿姨", "叔叔", "伯伯", "婆婆")
    + ("阿婆", "阿公", "师傅", "老师", "医生", "姐", "哥", "伯", "叔", "婶")
)
#: 老王 / 小李 count only where a word ends after the surname (小李帮忙, 老王家), so 小龙虾 and 小毛巾 stay.
AFTER_NICKNAME = r"和与跟同帮给替陪为家的在是说送把也都又就还去来到一，。、！？；：,.!?\s"
NICKNAMES = re.compile(
    rf"(?<=[老小])[{SURNAMES}](?=[{AFTER_NICKNAME}]|$)|[{SURNAMES}](?=(?:{KINSHIP}))",
)


@dataclass
class WallEntry:
    kind: str  # WallKind
    object_id: int
    community_id: int
    who: str  # as the screen shows it
    what: str  # scrubbed
    day: object  # a date
    points: int | None = None
    hours: object = None
    real_name: str = ""  # for the staff's moderation page only, never on the screen
    consent_target: tuple[str, int] | None = None  # ("volunteer"|"account", id) whose consent decides the name
    consent: bool = False
    hidden: bool = False
    keep: tuple = ()  # consenting people's names that the scrub leaves in the text
    people: list = field(default_factory=list)  # a service entry's (volunteer id, name, consent), staff page only

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.object_id}"

    @property
    def kind_label(self) -> str:
        return WallKind(self.kind).label

    def public(self) -> dict:
        """What the screen receives: no ids of people, no real name unless consented (then it is `who`)."""
        return {
            "key": self.key,
            "kind": self.kind_label,
            "kind_code": self.kind,
            "who": self.who,
            "what": self.what,
            "day": f"{self.day.month}月{self.day.day}日",
            "points": self.points,
            "hours": number(self.hours.quantize(Decimal("0.1"))) if self.hours is not None else None,  # 17.2, not 17.18
        }


def communities_of(level: str, node_id: int) -> list[int]:
    if level == "community":
        return [node_id]
    return list(Community.objects.filter(street_id=node_id).values_list("pk", flat=True))


#: The longest name the scrub looks for (a name of more characters is never looked up in a story).
NAME_MAX = 12
#: Candidate names per `IN (...)` query.
NAMES_PER_QUERY = 5000


def name_candidates(texts) -> set[str]:
    """Every piece of 2 to NAME_MAX characters of the texts as `scrub` reads them: the names a story could hold."""
    pieces = set()
    for text in texts:
        text = NUMBERS.sub("**", " ".join((text or "").split()))
        for i in range(len(text)):
            for size in range(2, min(NAME_MAX, len(text) - i) + 1):
                piece = text[i : i + size]
                if piece[0].isspace() or piece[-1].isspace():
                    continue
                pieces.add(piece)
    return pieces


def known_names(community_ids: list[int], texts=None) -> set[str]:
    """Every name of a person of these communities that free text could carry (two characters or more). With
    `texts`, only the names those texts contain: a street's 82,000 residents are looked up by the pieces of the
    stories (the (street, name) index) instead of read whole."""
    from linli.lovebank.models import Account, Deed
    from linli.residents.models import Resident
    from linli.volunteers.models import Volunteer

    residents = Resident.objects.filter(community_id__in=community_ids)
    if texts is None:
        names = set(residents.values_list("name", flat=True))
    else:
        streets = list(Community.objects.filter(pk__in=community_ids).values_list("street_id", flat=True).distinct())
        pieces = sorted(name_candidates(texts))
        names = set()
        for start in range(0, len(pieces), NAMES_PER_QUERY):
            chunk = pieces[start : start + NAMES_PER_QUERY]
            names |= set(residents.filter(street_id__in=streets, name__in=chunk).values_list("name", flat=True))
    names |= set(Volunteer.objects.filter(community_id__in=community_ids).values_list("name", flat=True))
    names |= set(
        Account.objects.filter(community_id__in=community_ids)
        .exclude(holder_name="")
        .values_list("holder_name", flat=True)
    )
    names |= set(Deed.objects.filter(community_id__in=community_ids).values_list("subject_name", flat=True))
    return {n.strip() for n in names if n and len(n.strip()) >= 2}


def scrub(text: str, names: set[str], keep: tuple = ()) -> str:
    """`text` without the names in `names` (but `keep`, the consenting person's own), nicknames such as 张大爷 and
    老王 (NICKNAMES), phones, IDs and rooms."""
    text = NUMBERS.sub("**", " ".join((text or "").split()))
    if names:
        longest = min(max(len(n) for n in names), NAME_MAX)
        out = []
        i = 0
        while i < len(text):
            for size in range(min(longest, len(text) - i), 1, -1):
                piece = text[i : i + size]
                if piece in names and piece not in keep:
                    out.append(MASK)
                    i += size
                    break
            else:
                out.append(text[i])
                i += 1
        text = "".join(out)
    kept = [name for name in keep if name and name in text]
    for i, name in enumerate(kept):  # a consenting person's own name stays whole, even one like 陈奶奶
        text = text.replace(name, f"\x00{i}\x00")
    text = NICKNAMES.sub("某", text)
    for i, name in enumerate(kept):
        text = text.replace(f"\x00{i}\x00", name)
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def _resident_place(resident, street_wide: bool) -> str:
    building = resident.building
    place = (
        f"{building.compound}{building.name}"
        if building.compound and building.compound not in building.name
        else building.name
    )
    # a street's screen names the community too, unless the estate's name already does (青和居1栋 of 青和居社区,
    # not 青和居社区青和居1栋)
    stem = resident.community.name.removesuffix("社区")
    if street_wide and not (stem and place.startswith(stem)):
        place = f"{resident.community.name}{place}"
    return f"{place}的{ANONYMOUS_RESIDENT}"


def build_wall(level: str, node_id: int, *, with_hidden: bool = False) -> list[WallEntry]:
    """The wall of a street or community, newest first; hidden entries only `with_hidden` (the staff's page)."""
    from linli.lovebank.choices import DeedStatus
    from linli.lovebank.models import Deed

    community_ids = communities_of(level, node_id)
    street_wide = level == "street"
    hidden = {
        (k, i) for k, i in WallHidden.objects.filter(community_id__in=community_ids).values_list("kind", "object_id")
    }
    entries: list[WallEntry] = []
    agreed = consents(community_ids)
    deeds = (
        Deed.objects.filter(community_id__in=community_ids, status=DeedStatus.APPROVED)
        .select_related("account__resident__building", "account__resident__community")
        .order_by("-occurred_on", "-id")[:WALL_SIZE]
    )
    for deed in deeds:
        account = deed.account
        consent = bool(account and agreed.of_account(account.pk, account.resident_id))
        real = account.name if account else deed.subject_name
        if consent:
            who = real
        elif account and account.resident_id:
            who = _resident_place(account.resident, street_wide)
        else:
            who = ANONYMOUS_RESIDENT
        entries.append(
            WallEntry(
                WallKind.DEED,
                deed.pk,
                deed.community_id,
                who,
                deed.description,
                deed.occurred_on,
                points=deed.points or None,
                real_name=real,
                consent_target=("account", account.pk) if account else None,
                consent=consent,
                keep=(real,) if consent else (),
            )
        )
    entries += _services(community_ids, agreed)
    names = known_names(community_ids, [e.what for e in entries]) if entries else set()
    for entry in entries:
        entry.what = scrub(entry.what, names, keep=entry.keep)
        entry.hidden = (entry.kind, entry.object_id) in hidden
    if not with_hidden:
        entries = [e for e in entries if not e.hidden]
    return interleave(entries)


def interleave(entries: list[WallEntry]) -> list[WallEntry]:
    """Newest first, deeds and services taking turns, so that a busy month of activities does not push every
    good deed off the wall."""
    by_kind = {
        kind: sorted((e for e in entries if e.kind == kind), key=lambda e: (e.day, e.object_id), reverse=True)
        for kind in (WallKind.DEED, WallKind.SERVICE)
    }
    mixed = []
    for pair in zip_longest(by_kind[WallKind.DEED], by_kind[WallKind.SERVICE]):
        mixed += [e for e in pair if e is not None]
    return mixed


def _services(community_ids: list[int], agreed: Consents) -> list[WallEntry]:
    """One entry per activity with confirmed service: how many volunteers served how many hours; the names of
    those who agreed (at most three, “等”)."""
    from linli.volunteers.choices import AttendanceStatus
    from linli.volunteers.models import Activity, Attendance

    activities = list(
        Activity.objects.filter(
            community_id__in=community_ids,
            attendances__status=AttendanceStatus.CONFIRMED,
            attendances__hours__gt=0,
        )
        .annotate(served=Count("attendances", distinct=True))
        .order_by("-starts_at", "-id")[:WALL_SIZE]
    )
    people: dict[int, list] = {a.pk: [] for a in activities}
    hours: dict[int, Decimal] = {a.pk: Decimal(0) for a in activities}
    rows = Attendance.objects.filter(activity__in=activities, status=AttendanceStatus.CONFIRMED, hours__gt=0)
    for activity_id, hours_served, volunteer_id, name, resident_id in rows.values_list(
        "activity_id", "hours", "volunteer_id", "volunteer__name", "volunteer__resident_id"
    ).order_by("volunteer__name", "volunteer_id"):
        people[activity_id].append((volunteer_id, name, agreed.of_volunteer(volunteer_id, resident_id)))
        hours[activity_id] += hours_served
    entries = []
    for activity in activities:
        served = people[activity.pk]
        named = [name for _id, name, consent in served if consent]
        count = len(served)
        if named:
            who = "、".join(named[:3]) + (f"等{count}位志愿者" if count > len(named[:3]) else "")
        else:
            who = f"{count}位志愿者" if count > 1 else ANONYMOUS_VOLUNTEER
        total = hours[activity.pk].normalize()
        entry = WallEntry(
            WallKind.SERVICE,
            activity.pk,
            activity.community_id,
            who,
            f"参加“{activity.title}”志愿服务",
            timezone.localtime(activity.starts_at).date(),
            hours=total,
            real_name="、".join(name for _id, name, _c in served),
            consent=bool(named),
        )
        entry.keep = tuple(named)
        entry.people = served
        entries.append(entry)
    return entries


WALL_VERSION = "linli:wall:v:"


def _version(level: str, node_id: int) -> int:
    return cache.get(f"{WALL_VERSION}{level}:{node_id}", 0)


def forget_wall(community_id: int) -> None:
    """The cached walls of a community and of its street are stale: the next request builds them again (called
    after hiding, showing, and a change of consent)."""
    street_id = Community.objects.filter(pk=community_id).values_list("street_id", flat=True).first()
    for node in (f"community:{community_id}", f"street:{street_id}"):
        key = f"{WALL_VERSION}{node}"
        try:
            cache.incr(key)
        except ValueError:  # not in the cache (yet, or any more): any value differs from the missing one's 0
            cache.set(key, int(timezone.now().timestamp() * 1000), None)


def public_wall(level: str, node_id: int) -> list[dict]:
    """The screen's wall: what the display receives, reused for LINLI_FIGURES_CACHE_SECONDS per node and wall
    version (see the module docstring)."""
    computed = cached_report(
        "bigscreen_wall",
        f"{level}:{node_id}:v{_version(level, node_id)}",
        {},
        lambda: [e.public() for e in build_wall(level, node_id)],
    )
    return computed.value
