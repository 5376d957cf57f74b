"""Who a notice or a campaign reaches, chosen the way staff think: an area (the whole community, some grids, some
buildings), narrowed by groups (care-group tags, party members, volunteers) and an age range, or a saved list.

An `Audience` is a plain value stored as JSON on the notice or campaign (`to_dict` / `from_dict`), so the choice
can be shown again and re-counted. `residents(user)` turns it into the registry's residents the user may reach
(Resident.objects.restrict(user): a grid worker's audience never leaves their grid), active residents only.

Rules, in the order staff read them on the form:
- Area: no grid and no building chosen means the whole community; otherwise the residents of the chosen grids
  and of the chosen buildings (either).
- Groups: with none chosen, everyone in the area; otherwise residents in any of the chosen groups (a tag, 党员,
  志愿者).
- Age: 满 `age_min` 岁 and at most `age_max` 岁 on `today` (residents without a birth date are left out when an
  age is asked for).
- A saved list (SavedAudience) replaces area and groups: its residents, still narrowed by age and by scope.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

#: The party-member tag's code (linli.residents.defaults).
PARTY_TAG = "party_member"


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _ids(values) -> tuple[int, ...]:
    return tuple(sorted({int(v) for v in values or ()}))


@dataclass(frozen=True)
class Audience:
    community_id: int
    grid_ids: tuple[int, ...] = ()
    building_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()
    party_members: bool = False
    volunteers: bool = False
    age_min: int | None = None
    age_max: int | None = None
    saved_list_id: int | None = None
    #: Only for the label: names are looked up once when the audience is described.
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    # -- storage
    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("extra")
        for key in ("grid_ids", "building_ids", "tag_ids"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Audience:
        return cls(
            community_id=int(data["community_id"]),
            grid_ids=_ids(data.get("grid_ids")),
            building_ids=_ids(data.get("building_ids")),
            tag_ids=_ids(data.get("tag_ids")),
            party_members=bool(data.get("party_members")),
            volunteers=bool(data.get("volunteers")),
            age_min=None if data.get("age_min") in (None, "") else int(data["age_min"]),
            age_max=None if data.get("age_max") in (None, "") else int(data["age_max"]),
            saved_list_id=None if not data.get("saved_list_id") else int(data["saved_list_id"]),
        )

    # -- checking
    def check(self, user=None) -> None:
        """ValidationError (Chinese, keyed by field) when the choice is impossible or reaches outside the community
        or outside what `user` may reach."""
        from linli.areas.models import Building, Grid
        from linli.notices.models import SavedAudience

        errors = {}
        if self.age_min is not None and not 0 <= self.age_min <= 130:
            errors["age_min"] = "年龄应在0到130岁之间。"
        if self.age_max is not None and not 0 <= self.age_max <= 130:
            errors["age_max"] = "年龄应在0到130岁之间。"
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            errors["age_max"] = "最大年龄不能小于最小年龄。"
        if self.grid_ids and Grid.objects.filter(pk__in=self.grid_ids, community_id=self.community_id).count() != len(
            self.grid_ids
        ):
            errors["grid_ids"] = "所选网格不属于这个社区。"
        if self.building_ids and Building.objects.filter(
            pk__in=self.building_ids, community_id=self.community_id
        ).count() != len(self.building_ids):
            errors["building_ids"] = "所选楼栋不属于这个社区。"
        if (
            self.saved_list_id
            and not SavedAudience.objects.filter(pk=self.saved_list_id, community_id=self.community_id).exists()
        ):
            errors["saved_list_id"] = "所选名单不存在或不属于这个社区。"
        if user is not None and not user.is_superuser and not errors:
            errors.update(self._scope_errors(user))
        if errors:
            raise ValidationError(errors)

    def _scope_errors(self, user) -> dict:
        """An area the user cannot reach is refused by name, not silently narrowed: a grid worker who picks the
        whole community or another grid is told to choose their own grid."""
        from linli.areas.models import Building, Grid

        if self.grid_ids:
            reachable = reachable_grids(user, self.community_id)
            outside = Grid.objects.filter(pk__in=self.grid_ids).exclude(pk__in=reachable.values("pk")).first()
            if outside is not None:
                return {"grid_ids": f"您只能向自己负责的范围发送，不能选择{outside.name}。"}
        if self.building_ids:
            reachable = reachable_buildings(user, self.community_id)
            outside = (
                Building.objects.filter(pk__in=self.building_ids)
                .exclude(pk__in=reachable.values("pk"))
                .order_by("number")
                .first()
            )
            if outside is not None:
                return {"building_ids": f"您只能向自己负责的范围发送，不能选择{outside.name}。"}
        if not self.grid_ids and not self.building_ids and not self.saved_list_id:
            if not _community_reachable(user, self.community_id):
                return {"grid_ids": "您只负责部分网格，请选择自己的网格或楼栋，不能发给全社区。"}
        return {}

    # -- resolving
    def residents(self, user=None, *, today: datetime.date | None = None):
        """The active residents this audience reaches (restricted to what `user` may see, when given)."""
        from linli.residents.models import Resident

        qs = Resident.objects.all() if user is None else Resident.objects.restrict(user)
        qs = qs.active().filter(community_id=self.community_id)
        if self.saved_list_id:
            qs = qs.filter(saved_audiences__pk=self.saved_list_id)
        else:
            if self.grid_ids or self.building_ids:
                qs = qs.filter(Q(grid_id__in=self.grid_ids) | Q(building_id__in=self.building_ids))
            groups = self._groups_q()
            if groups is not None:
                qs = qs.filter(groups)
        today = today or timezone.localdate()
        if self.age_min is not None:
            qs = qs.filter(birth_date__lte=_years_before(today, self.age_min))
        if self.age_max is not None:
            qs = qs.filter(birth_date__gt=_years_before(today, self.age_max + 1))
        return qs

    def _groups_q(self) -> Q | None:
        from linli.residents.models import Resident

        parts = []
        if self.tag_ids:
            parts.append(Q(pk__in=Resident.tags.through.objects.filter(tag_id__in=self.tag_ids).values("resident_id")))
        if self.party_members:
            parts.append(Q(pk__in=Resident.tags.through.objects.filter(tag__code=PARTY_TAG).values("resident_id")))
        if self.volunteers:
            from linli.volunteers.models import Volunteer

            parts.append(
                Q(pk__in=Volunteer.objects.filter(is_active=True, resident__isnull=False).values("resident_id"))
            )
        if not parts:
            return None
        q = parts[0]
        for part in parts[1:]:
            q |= part
        return q

    def households(self, user=None, *, today: datetime.date | None = None):
        """The households with at least one resident in the audience."""
        from linli.areas.models import Household

        return Household.objects.filter(pk__in=self.residents(user, today=today).values("household_id"))

    def counts(self, user=None, *, today: datetime.date | None = None) -> tuple[int, int]:
        """(residents, households) reached: shown before sending."""
        residents = self.residents(user, today=today)
        return residents.count(), residents.values("household_id").distinct().count()

    def describe(self) -> str:
        """The choice in a few Chinese words, e.g. "第2网格、3栋 · 独居老人、党员 · 80岁以上"."""
        from linli.areas.models import Building, Grid
        from linli.notices.models import SavedAudience
        from linli.residents.models import Tag

        parts = []
        if self.saved_list_id:
            saved = SavedAudience.objects.filter(pk=self.saved_list_id).values_list("name", flat=True).first()
            parts.append(f"名单：{saved or '（已删除）'}")
        else:
            areas = list(Grid.objects.filter(pk__in=self.grid_ids).order_by("name").values_list("name", flat=True))
            areas += list(
                Building.objects.filter(pk__in=self.building_ids).order_by("number").values_list("name", flat=True)
            )
            parts.append("、".join(areas) if areas else "全社区")
            groups = list(Tag.objects.filter(pk__in=self.tag_ids).order_by("order").values_list("name", flat=True))
            if self.party_members:
                groups.append("党员")
            if self.volunteers:
                groups.append("志愿者")
            if groups:
                parts.append("、".join(dict.fromkeys(groups)))
        if self.age_min is not None and self.age_max is not None:
            parts.append(f"{self.age_min}至{self.age_max}岁")
        elif self.age_min is not None:
            parts.append(f"{self.age_min}岁以上")
        elif self.age_max is not None:
            parts.append(f"{self.age_max}岁及以下")
        return " · ".join(parts)


def reachable_grids(user, community_id: int):
    """The community's grids the user's assignments cover (their own grid; every grid for the community's staff)."""
    from linli.areas.models import Grid
    from linli.areas.scope import GRID_PATHS
    from linli.core.querysets import restrict_to

    grids = Grid.objects.filter(community_id=community_id)
    return grids if user.is_superuser else restrict_to(grids, user, GRID_PATHS, distinct=True)


def reachable_buildings(user, community_id: int):
    """The community's buildings the user's assignments cover."""
    from linli.areas.models import Building
    from linli.areas.scope import BUILDING_PATHS
    from linli.core.querysets import restrict_to

    buildings = Building.objects.filter(community_id=community_id)
    return buildings if user.is_superuser else restrict_to(buildings, user, BUILDING_PATHS)


def _community_reachable(user, community_id: int) -> bool:
    """The user works at the community or street level above it (not only in one grid or building of it)."""
    from linli.areas.scope import managed_communities

    return managed_communities(user).filter(pk=community_id).exists()
