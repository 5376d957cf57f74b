"""The demo's departures (迁出): 青和居 has residents who moved out during the year, each marked through
mark_resident_left by its staff login with a change record, while the active registry keeps the article's figures
(8,234 residents, 554 in grid 1, 2,024 over 60) on every page that counts residents."""

import datetime
import re
from collections import Counter

from django.urls import reverse
from django.utils import timezone

from linli.accounts.models import User
from linli.areas.models import Grid
from linli.core.models import ChangeAction, ChangeRecord
from linli.core.shell import FigureNode
from linli.residents.choices import ResidentStatus
from linli.residents.dashfigures import population
from linli.residents.models import Resident, birth_date_cutoff


def departed(community):
    return Resident.objects.filter(community=community, status=ResidentStatus.MOVED_OUT)


def test_some_residents_moved_out_during_the_year(qinghe):
    today = timezone.localdate()
    gone = list(departed(qinghe))
    # A realistic few: 1 to 2 per cent of the registry, whole tenant households and grown children.
    assert 0.01 * 8234 <= len(gone) <= 0.02 * 8234
    assert not Resident.objects.filter(community=qinghe, status=ResidentStatus.DECEASED).exists()
    assert all(today - datetime.timedelta(days=365) <= r.left_on < today for r in gone)
    assert all(r.created_at.date() < r.left_on for r in gone)
    assert not Resident.tags.through.objects.filter(resident__in=gone).exists()  # in no care group
    # Former households: the room is vacant now (nobody active lives there).
    rooms = Counter(r.household_id for r in gone)
    whole = [h for h in rooms if not Resident.objects.filter(household_id=h, status="active").exists()]
    assert 20 <= len(whole) <= 40
    assert len({r.left_on for r in gone}) > 30  # spread over the year, not one day


def test_each_departure_has_its_change_record_by_the_staff(qinghe):
    staff = User.objects.get(username="shequ")
    for r in departed(qinghe):
        records = list(ChangeRecord.objects.filter(content_type__model="resident", object_id=r.pk).order_by("at", "pk"))
        assert [c.action for c in records] == [ChangeAction.CREATE, ChangeAction.UPDATE]
        left = records[1]
        assert left.actor == staff and left.note.startswith("标记为已迁出：")
        assert left.changes["状态"] == ["在册", "已迁出"]
        assert left.changes["迁出/死亡日期"] == [None, r.left_on.isoformat()]
        assert r.left_on <= timezone.localtime(left.at).date() <= r.left_on + datetime.timedelta(days=3)


def test_the_active_registry_keeps_the_articles_figures(qinghe):
    active = Resident.objects.filter(community=qinghe, status=ResidentStatus.ACTIVE)
    assert active.count() == 8234
    assert active.filter(grid=Grid.objects.get(community=qinghe, number=1)).count() == 554
    assert active.filter(birth_date__lte=birth_date_cutoff(60, timezone.localdate())).count() == 2024
    assert Resident.objects.filter(community=qinghe).count() == 8234 + departed(qinghe).count()
    assert sum(n for _c, _g, n in population(timezone.localdate(), FigureNode("community", qinghe.pk))) == 8234


def test_the_population_trend_counts_the_departed_before_they_left(qinghe):
    today = timezone.localdate()
    day = today - datetime.timedelta(days=200)
    node = FigureNode("community", qinghe.pk)
    then = sum(n for _c, _g, n in population(day, node))
    left_since = departed(qinghe).filter(left_on__gt=day, created_at__date__lte=day).count()
    arrived_since = Resident.objects.filter(community=qinghe, status="active", created_at__date__gt=day).count()
    assert left_since > 0
    assert then == 8234 - arrived_since + left_since


def total_on_page(html: str) -> int:
    found = re.search(r'data-list-total="(\d+)"', html)
    assert found, "the list says how many it found"
    return int(found.group(1))


def test_the_registry_lists_the_active_by_default_and_the_departed_under_their_filter(qinghe, client):
    client.force_login(User.objects.get(username="shuji"))
    url = reverse("residents:resident_list")
    active = client.get(url).content.decode()
    assert total_on_page(active) == 8234
    gone = client.get(url, {"status": ResidentStatus.MOVED_OUT}).content.decode()
    assert total_on_page(gone) == departed(qinghe).count()
    one = departed(qinghe).order_by("pk").first()
    page = client.get(reverse("residents:resident_detail", args=[one.pk])).content.decode()
    assert "已迁出" in page and f"{one.left_on.year}年{one.left_on.month}月{one.left_on.day}日" in page
    assert "标记为已迁出" in page  # its history
