"""The area tree: Street > Community > Grid > Building > Household (room).

Buildings belong to a community and, once assigned, to one of its grids; a building
moved to another grid takes its households and residents with it (see services).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from linli.areas import querysets
from linli.areas.floor_area import format_floor_area
from linli.core.pagecache import invalidate_on


class StreetOfCommunity:
    """A mixin for rows of one community that carry its street id too (denormalised), so that scope at either
    level is one indexed lookup (linli.areas.scope.community_scope(own_street=True)): street_id follows the
    community on every save."""

    def save(self, *args, **kwargs):
        self.street_id = self.community.street_id
        super().save(*args, **kwargs)


class Street(models.Model):
    """街道: a sub-district office overseeing several communities."""

    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=64)

    objects = querysets.StreetQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "街道"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("areas:street_detail", args=[self.pk])


class Community(models.Model):
    """社区: a residents' committee area."""

    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="communities", verbose_name="街道")
    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=64)
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("办公电话", max_length=32, blank=True)

    objects = querysets.CommunityQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "社区"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("areas:community_detail", args=[self.pk])


class Grid(models.Model):
    """网格: the slice of a community one grid worker answers for."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="grids", verbose_name="社区")
    number = models.PositiveSmallIntegerField("序号")
    name = models.CharField("名称", max_length=64)

    objects = querysets.GridQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "网格"
        ordering = ["community_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"],
                name="grid_unique_number_in_community",
                violation_error_message="本社区已有这个序号的网格。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("areas:grid_detail", args=[self.pk])


class Building(models.Model):
    """楼栋, with entrances (单元) across and floors down, as residents picture it."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="buildings", verbose_name="社区")
    grid = models.ForeignKey(
        Grid,
        on_delete=models.PROTECT,
        related_name="buildings",
        null=True,
        blank=True,
        verbose_name="网格",
        help_text="未分配网格的楼栋在“待分配”列表里等管理员处理。",
    )
    number = models.PositiveIntegerField("楼号")
    name = models.CharField("名称", max_length=32, help_text="如“3栋”")
    compound = models.CharField("小区", max_length=64, blank=True)
    entrances = models.PositiveSmallIntegerField("单元数", default=1)
    floors = models.PositiveSmallIntegerField("楼层数", default=1)
    rooms_per_floor = models.PositiveSmallIntegerField("每层每单元户数", default=2)

    objects = querysets.BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "楼栋"
        ordering = ["community_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"],
                name="building_unique_number_in_community",
                violation_error_message="本社区已有这个楼号的楼栋。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("areas:building_detail", args=[self.pk])

    def clean(self):
        if self.grid_id and self.community_id and self.grid.community_id != self.community_id:
            raise ValidationError({"grid": "只能分配到本社区的网格。"})


class Household(models.Model):
    """户/户室: one room of a building, the home of zero or more residents."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="households", verbose_name="楼栋")
    entrance = models.PositiveSmallIntegerField("单元", default=1)
    floor = models.SmallIntegerField("楼层")
    room = models.CharField("房号", max_length=16, help_text="如“502”")
    floor_area = models.DecimalField(
        "建筑面积（㎡）",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="房产证上的建筑面积。业主表决按“户数和面积”双过半时使用；不知道可以不填。",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    # How many of the household's active residents are in a care group (residents.choices.CARE_TAGS): "in need"
    # for the 关爱名单 and the support figures. Kept by linli.residents.care.recount_care_members, which every
    # write of tags, status or household calls (residents.services, the importer, the demo); `linli
    # recount_care` recomputes it from scratch. Read through the partial index below: a street's households in
    # need without probing each of its households for a tagged resident (issue 20).
    care_members = models.PositiveSmallIntegerField("关爱对象人数", default=0, editable=False)

    objects = querysets.HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "户"
        ordering = ["building_id", "entrance", "floor", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "entrance", "room"],
                name="household_unique_room",
                violation_error_message="这栋楼的这个单元已经有这个房号了。",
            ),
        ]
        indexes = [
            # The households in need of the buildings of a scope, in walking order within a building.
            models.Index(
                fields=["building", "entrance", "room", "id"],
                condition=models.Q(care_members__gt=0),
                name="household_care_idx",
            ),
        ]

    def __str__(self):
        return self.address

    @property
    def address(self) -> str:
        return f"{self.building.name}{self.entrance}单元{self.room}"

    @property
    def floor_area_text(self) -> str:
        """ "89.5㎡", or "" when the area is not known."""
        return format_floor_area(self.floor_area)

    def get_absolute_url(self):
        return reverse("areas:household_detail", args=[self.pk])


Street.audit_fields = ["code", "name"]
Community.audit_fields = ["street", "code", "name", "address", "phone"]
Grid.audit_fields = ["community", "number", "name"]
Building.audit_fields = ["community", "grid", "number", "name", "compound", "entrances", "floors", "rooms_per_floor"]
Household.audit_fields = ["building", "entrance", "floor", "room", "floor_area", "note"]

# Filter drop-downs (grids, buildings, communities) are cached per scope: any change of the tree invalidates them.
invalidate_on("areas", Street, Community, Grid, Building)
