from django import forms

from linli.areas.floor_area import FloorAreaField
from linli.areas.models import Building, Community, Grid, Household, Street
from linli.core.forms import ImportFileForm, LinliForm, LinliModelForm


class ScopedModelForm(LinliModelForm):
    """A ModelForm whose foreign-key choices are limited to what the user may manage."""

    scoped_fields: dict[str, type] = {}
    scope_action = "manage"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, model in self.scoped_fields.items():
            if name in self.fields:
                self.fields[name].queryset = model.objects.restrict(user, self.scope_action)


class StreetForm(LinliModelForm):
    class Meta:
        model = Street
        fields = ["code", "name"]


class CommunityForm(ScopedModelForm):
    scoped_fields = {"street": Street}

    class Meta:
        model = Community
        fields = ["street", "code", "name", "address", "phone"]


class GridForm(ScopedModelForm):
    scoped_fields = {"community": Community}

    class Meta:
        model = Grid
        fields = ["community", "number", "name"]


class BuildingForm(ScopedModelForm):
    scoped_fields = {"community": Community, "grid": Grid}

    class Meta:
        model = Building
        fields = ["community", "grid", "number", "name", "compound", "entrances", "floors", "rooms_per_floor"]

    def clean(self):
        data = super().clean()
        grid, community = data.get("grid"), data.get("community")
        if grid and community and grid.community_id != community.pk:
            self.add_error("grid", "只能分配到本社区的网格。")
        for name, top in (("entrances", 20), ("floors", 99), ("rooms_per_floor", 30)):
            value = data.get(name)
            if value is not None and not 1 <= value <= top:
                self.add_error(name, f"请填写1到{top}之间的数。")
        return data


class BuildingEditForm(BuildingForm):
    """Editing never moves a building between grids: that is the move action, which moves residents."""

    class Meta(BuildingForm.Meta):
        fields = ["number", "name", "compound", "entrances", "floors", "rooms_per_floor"]


class BuildingMoveForm(LinliForm):
    grid = forms.ModelChoiceField(
        label="移到网格", queryset=Grid.objects.none(), required=False, empty_label="（待分配，不属于任何网格）"
    )

    def __init__(self, *args, user, building, **kwargs):
        super().__init__(*args, **kwargs)
        # Every grid the user manages is offered; the service refuses other communities' grids
        # with a clear message rather than hiding the mistake.
        self.fields["grid"].queryset = Grid.objects.restrict(user, "manage").select_related("community")
        self.fields["grid"].label_from_instance = lambda g: f"{g.community.name} · {g.name}"


class HouseholdForm(ScopedModelForm):
    """A room added by hand (a ground-floor shop, a split flat); staff and grid workers may add them."""

    scoped_fields = {"building": Building}
    scope_action = "view"
    floor_area = FloorAreaField(
        label=Household._meta.get_field("floor_area").verbose_name,
        help_text=Household._meta.get_field("floor_area").help_text + "可写“89.5”或“89.5㎡”。",
    )

    class Meta:
        model = Household
        fields = ["building", "entrance", "floor", "room", "floor_area", "note"]


class HouseholdEditForm(HouseholdForm):
    class Meta(HouseholdForm.Meta):
        fields = ["floor", "floor_area", "note"]


class CommunityFileForm(ImportFileForm):
    """A file to import (linli.core.forms.ImportFileForm: .xlsx/.xls/.csv, size limit) into a community of the
    user's scope; each importer names its file (ledgers, 12345 sheets, the next importers)."""

    community = forms.ModelChoiceField(label="导入到社区", queryset=Community.objects.none())
    field_order = ["community", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.restrict(user)
        if self.fields["community"].queryset.count() == 1:
            self.initial.setdefault("community", self.fields["community"].queryset.first())
