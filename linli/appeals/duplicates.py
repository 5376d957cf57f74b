"""Possible duplicates (可能重复的诉求, issue 6 §2): open appeals of the last 14 days nearby whose text is similar.

Two steps, so that the text comparison only ever sees a small set:

1. **Where and when (the database)**: open appeals (choices.OPEN, so never 已合并) received in the last
   WINDOW_DAYS days in the same community, and there in the same building, the same compound (小区: the
   `Building.compound` name, e.g. 青和居, among the community's buildings) or the same grid — or without a
   building on either side (a free address such as “小区东门”: its place is only known to the community, so
   the community is the nearest area both share). Restricted to what the user may see
   (`Appeal.objects.restrict(user, action)`), newest first, at most MAX_CANDIDATES rows.
2. **What (no model of its own)**: both texts pass the routing normaliser
   (linli.appeals.routing.model.normalise: NFKC, Traditional → Simplified, digits and punctuation dropped).
   *Wording*: character 1–2-gram vectors within each clause, sublinear tf × idf, cosine. The idf comes from
   the shipped routing texts (≈ 1,800 appeals in residents' words): words every appeal uses (我们, 小区,
   麻烦) weigh little, the matter (路灯, 漏水, 井盖) weighs much; an n-gram they never use gets 0.6 of the
   highest idf (a name or a typo is evidence, but less than a known word). *Kind of matter*: the cosine of
   the two texts' unit probabilities from the active routing model (Router.unit_profile) — 油烟 and 餐馆
   are both ecology/urban matters although they share no character. Score = 0.7 × wording + 0.3 × kind ×
   √wording (the kind only lifts texts that share some wording: two unrelated 物业 matters stay apart).
   On 32 hand-written pairs (16 the same matter in other words, 16 different matters of one building,
   test_duplicates) wording alone separates 28 at best, the blend 31 at THRESHOLD.

Candidates scoring at least THRESHOLD are returned most similar first; at the same score (to 0.01) the
nearer place wins: same building, then same compound, then same grid, then the community; then the newest.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from linli.appeals.choices import OPEN
from linli.appeals.models import Appeal
from linli.appeals.routing.model import HELDOUT_FILE, TRAIN_FILE, load_examples, normalise
from linli.core.params import parse_id

WINDOW_DAYS = 14
#: Score from which two texts are shown as possibly the same matter (see the module docstring).
THRESHOLD = 0.2
WORDING_WEIGHT, KIND_WEIGHT = 0.7, 0.3
#: Below this wording similarity the kind of matter is not asked for (it could not reach THRESHOLD).
WORDING_FLOOR = 0.02
UNSEEN_IDF_SCALE = 0.6
MAX_CANDIDATES = 300
DEFAULT_LIMIT = 5
NGRAMS = (1, 2)

#: Place tiers, nearest first: (code, label shown in the panel).
PLACES = {
    "building": "同一楼栋",
    "compound": "同一小区",
    "grid": "同一网格",
    "community": "同一社区",
}
_PLACE_RANK = {code: n for n, code in enumerate(PLACES)}


@dataclass
class Candidate:
    """One possible duplicate: the appeal, its text similarity (0..1) and how near it is."""

    appeal: Appeal
    score: float
    place: str

    @property
    def place_label(self) -> str:
        return PLACES[self.place]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


# --- text ------------------------------------------------------------------------------------------


def ngrams(text: str) -> Counter:
    """Character n-grams of the normalised text, within clauses (they never cross a punctuation break)."""
    grams: Counter = Counter()
    for clause in normalise(text).split(" "):
        for n in NGRAMS:
            for i in range(len(clause) - n + 1):
                grams[clause[i : i + n]] += 1
    return grams


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    """(idf per n-gram, idf of an unseen n-gram) over the shipped routing texts; computed once per process."""
    texts = [e.text for path in (TRAIN_FILE, HELDOUT_FILE) for e in load_examples(path)]
    df: Counter = Counter()
    for text in texts:
        df.update(set(ngrams(text)))
    total = len(texts)
    idf = {gram: math.log((1 + total) / (1 + count)) + 1 for gram, count in df.items()}
    return idf, (math.log(1 + total) + 1) * UNSEEN_IDF_SCALE


@lru_cache(maxsize=4096)
def vector(text: str) -> dict[str, float]:
    """Unit-length tf-idf vector (sublinear tf) of a text; empty for a text with nothing to compare. Cached:
    the same open appeals are compared on every keystroke of the intake panel (read-only, never mutate)."""
    idf, unseen = _idf()
    weights = {g: (1 + math.log(c)) * idf.get(g, unseen) for g, c in ngrams(text).items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {g: w / norm for g, w in weights.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(g, 0.0) for g, w in a.items())


def _kinds(texts: list[str]):
    """Unit-probability rows of the texts, each of length 1 (the routing model's view of the matter)."""
    import numpy as np

    from linli.appeals.routing.services import get_router

    profiles = get_router().unit_profile(texts)
    norms = np.linalg.norm(profiles, axis=1, keepdims=True)
    return profiles / np.where(norms > 0, norms, 1)


def blend(wording: float, kind: float) -> float:
    return min(1.0, WORDING_WEIGHT * wording + KIND_WEIGHT * kind * math.sqrt(max(wording, 0.0)))


def similarity(text_a: str, text_b: str) -> float:
    """Similarity of two appeals' texts, 0 (nothing in common) to 1 (the same words)."""
    wording = cosine(vector(text_a), vector(text_b))
    if wording < WORDING_FLOOR:
        return WORDING_WEIGHT * wording
    kinds = _kinds([text_a, text_b])
    return blend(wording, float(kinds[0] @ kinds[1]))


# --- candidates -----------------------------------------------------------------------------------


def _place_of(candidate: Appeal, *, building, compound: str, grid_id) -> str:
    if building is not None and candidate.building_id == building.pk:
        return "building"
    if compound and candidate.building_id and candidate.building.compound == compound:
        return "compound"
    if grid_id and candidate.grid_id == grid_id:
        return "grid"
    return "community"


def candidates_near(user, *, community_id: int, building=None, action: str = "view", exclude=(), since=None):
    """The open appeals received since `since` (default: WINDOW_DAYS days ago) near a place that `user` may
    see (step 1, unranked)."""
    since = since or timezone.now() - datetime.timedelta(days=WINDOW_DAYS)
    qs = Appeal.objects.restrict(user, action).filter(
        community_id=community_id, status__in=OPEN, received_at__gte=since
    )
    if building is not None:
        near = Q(building_id=building.pk) | Q(building__isnull=True)
        if building.compound:
            near |= Q(building__compound=building.compound)
        if building.grid_id:
            near |= Q(grid_id=building.grid_id)
        qs = qs.filter(near)
    exclude = [pk for pk in exclude if pk]
    if exclude:
        qs = qs.exclude(pk__in=exclude)
    return qs.select_related("building", "household__building", "community").order_by("-received_at", "-id")[
        :MAX_CANDIDATES
    ]


def similar_appeals(
    user,
    *,
    text: str,
    community_id: int | None,
    building=None,
    action: str = "view",
    exclude=(),
    limit: int = DEFAULT_LIMIT,
    threshold: float = THRESHOLD,
    since: datetime.datetime | None = None,
) -> list[Candidate]:
    """Open appeals near `building` (or in the community) whose text is similar to `text`, most similar first."""
    if community_id is None:
        return []
    query = vector(text)
    if not query:
        return []
    compound = building.compound if building is not None else ""
    grid_id = building.grid_id if building is not None else None
    rows = candidates_near(
        user, community_id=community_id, building=building, action=action, exclude=exclude, since=since
    )
    scored = [(appeal, cosine(query, vector(appeal.text))) for appeal in rows]
    scored = [(appeal, wording) for appeal, wording in scored if wording >= WORDING_FLOOR]
    if not scored:
        return []
    kinds = _kinds([text, *(appeal.text for appeal, _ in scored)])
    found = []
    for n, (appeal, wording) in enumerate(scored, start=1):
        score = blend(wording, float(kinds[0] @ kinds[n]))
        if score >= threshold:
            place = _place_of(appeal, building=building, compound=compound, grid_id=grid_id)
            found.append(Candidate(appeal=appeal, score=score, place=place))
    found.sort(key=lambda c: (-round(c.score, 2), _PLACE_RANK[c.place], -c.appeal.received_at.timestamp()))
    return found[:limit]


def similar_to(appeal: Appeal, user, *, action: str = "view", limit: int = DEFAULT_LIMIT) -> list[Candidate]:
    """Possible duplicates of a registered appeal: the window reaches WINDOW_DAYS days before it was received
    (an appeal still waiting after a week sees the reports of the week before it too). Itself excluded; its
    own duplicates are 已合并, not open."""
    received = min(appeal.received_at, timezone.now())
    return similar_appeals(
        user,
        text=appeal.text,
        community_id=appeal.community_id,
        building=appeal.building,
        action=action,
        exclude=[appeal.pk],
        limit=limit,
        since=received - datetime.timedelta(days=WINDOW_DAYS),
    )


def find_main(user, text: str) -> Appeal:
    """The main appeal named on the merge form: its number (20261201-00012) or id, within the dispatcher's area."""
    text = "".join((text or "").split())
    scoped = Appeal.objects.restrict(user, "dispatch")
    main = scoped.filter(number=text).first() if text else None
    if main is None and (pk := parse_id(text)):
        main = scoped.filter(pk=pk).first()
    if main is None:
        raise ValidationError({"main": f"找不到编号为“{text[:40]}”的诉求，或不在您的管辖范围内。"})
    return main


# --- pages ------------------------------------------------------------------------------------------


def _voice_counts(ids: list, merged: str) -> list[tuple]:
    """(merged_into id, number of appeals merged into it) for the ids that have any."""
    from django.db import connections, router

    table = Appeal._meta.db_table
    column = Appeal._meta.get_field("merged_into").column
    status = Appeal._meta.get_field("status").column
    connection = connections[router.db_for_read(Appeal)]
    q = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT {q(column)}, COUNT({q('id')}) FROM {q(table)} WHERE {q(column)} IN ({marks}) AND {q(status)} = %s "
        f"GROUP BY {q(column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, merged])
        return cursor.fetchall()


def mark_voices(appeals) -> None:
    """`voices` (附议: itself + the appeals merged into it) on each row of a queue page, in one query."""
    from linli.appeals.choices import Status

    ids = [a.pk for a in appeals]
    counts = {}
    if ids:
        # The statement the ORM wrote for filter(merged_into__in=ids, status=MERGED).values("merged_into")
        # .annotate(n=Count("id")), written out: building and compiling that queryset was ~7 % of a queue page's
        # CPU (issue 20); test_queue_rows compares the two.
        counts = dict(_voice_counts(ids, Status.MERGED.value))
    for a in appeals:
        a.voices = 1 + counts.get(a.pk, 0)


def detail_panel(appeal: Appeal, user, actions: set[str]) -> dict:
    """What the detail page shows about duplicates: 附议 (how many reports, and the merged ones the user may
    see), and for a dispatcher of an open appeal the possible duplicates with their merge buttons."""
    from linli.appeals.choices import Status
    from linli.appeals.services import MERGEABLE

    merged = list(
        Appeal.objects.restrict(user)
        .filter(merged_into=appeal, status=Status.MERGED)
        .select_related("reporter", "building", "household__building")
        .order_by("received_at", "id")
    )
    # The count is every report (a handler sees how many neighbours asked); the list only those the user may see.
    voices = 1 + Appeal.objects.filter(merged_into=appeal, status=Status.MERGED).count()
    ctx = {"merged": merged, "voices": voices, "duplicates": [], "can_merge_here": False}
    dispatcher = user.is_superuser or user.has_role_perm("appeal.dispatch")
    if dispatcher and appeal.status in OPEN:
        ctx["duplicates"] = similar_to(appeal, user, action="dispatch")
        ctx["can_merge_here"] = "merge" in actions
        for candidate in ctx["duplicates"]:
            candidate.may_join = candidate.appeal.status in MERGEABLE
    return ctx
