from django import forms

from linli.areas.models import Building, Household
from linli.core.forms import IdMultipleChoiceField, LinliForm, LinliModelForm
from linli.residents.choices import ContactRelation, Relation, ResidenceType, ResidentStatus
from linli.residents.models import Tag


class ResidentForm(LinliForm):
    """Registry entry for one resident. Birth date and sex are never typed: they come from the ID."""

    name = forms.CharField(label="姓名", max_length=64)
    id_number = forms.CharField(
        label="身份证号码",
        max_length=24,
        required=False,
        help_text="18位或15位，末位可以是X；出生日期和性别自动得出。",
    )
    phone = forms.CharField(label="联系电话", max_length=24, required=False, help_text="手机号或带区号的固定电话")
    building = forms.ModelChoiceField(label="楼栋", queryset=Building.objects.none())
    entrance = forms.IntegerField(label="单元", min_value=1, max_value=99, initial=1)
    room = forms.CharField(label="房号", max_length=16, help_text="如 502")
    relation = forms.ChoiceField(label="与户主关系", choices=Relation.choices, initial=Relation.HEAD)
    residence_type = forms.ChoiceField(label="居住类型", choices=ResidenceType.choices, initial=ResidenceType.PERMANENT)
    status = forms.ChoiceField(label="状态", choices=ResidentStatus.choices, initial=ResidentStatus.ACTIVE)
    hukou_place = forms.CharField(label="户籍地", max_length=128, required=False)
    tags = IdMultipleChoiceField(
        label="人员标签", queryset=Tag.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label="备注", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, resident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.resident = resident
        self.fields["building"].queryset = Building.objects.restrict(user).select_related("community")
        self.fields["building"].label_from_instance = lambda b: f"{b.community.name} {b.name}"
        self.hidden_tags = []
        visible = Tag.objects.restrict(user).visible_to(user).filter(is_active=True)
        self.fields["tags"].queryset = visible
        if resident is not None:
            self.fields["id_number"].help_text = (
                f"已登记：{resident.id_masked}。留空表示不修改。"
                if resident.id_masked
                else self.fields["id_number"].help_text
            )
            # Tags the user cannot see are kept as they are, never silently dropped.
            self.hidden_tags = [t for t in resident.tags.all() if t not in visible]

    @classmethod
    def initial_for(cls, resident) -> dict:
        h = resident.household
        return {
            "name": resident.name,
            "phone": resident.phone,
            "building": h.building_id,
            "entrance": h.entrance,
            "room": h.room,
            "relation": resident.relation,
            "residence_type": resident.residence_type,
            "status": resident.status,
            "hukou_place": resident.hukou_place,
            "note": resident.note,
            "tags": list(resident.tags.all()),
        }

    def clean(self):
        data = super().clean()
        building, entrance, room = data.get("building"), data.get("entrance"), (data.get("room") or "").strip()
        if building and entrance and room:
            household = Household.objects.filter(building=building, entrance=entrance, room=room).first()
            if household is None:
                self.add_error("room", f"{building.name}{entrance}单元没有{room}室，请检查单元和房号。")
            data["household"] = household
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        kwargs = {
            "household": d["household"],
            "name": d["name"],
            "phone": d["phone"],
            "tags": [*d["tags"], *self.hidden_tags],
            "relation": d["relation"],
            "residence_type": d["residence_type"],
            "status": d["status"],
            "hukou_place": d["hukou_place"],
            "note": d["note"],
        }
        if d["id_number"] or self.resident is None:
            kwargs["id_number"] = d["id_number"]
        return kwargs


class MarkLeftForm(LinliForm):
    """标记迁出/死亡: the normal way an entry ends."""

    status = forms.ChoiceField(
        label="情况",
        choices=[(ResidentStatus.MOVED_OUT, "迁出"), (ResidentStatus.DECEASED, "死亡")],
        widget=forms.RadioSelect,
    )
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label="说明", max_length=200, required=False, help_text="如迁往何处、死亡证明编号等", widget=forms.TextInput
    )


class ResidentDeleteForm(LinliForm):
    reason = forms.CharField(
        label="删除原因",
        max_length=150,
        help_text="如“重复登记”“测试数据”。迁出或去世的居民请用“标记迁出/死亡”，不要删除。",
        widget=forms.TextInput,
    )


class TagForm(LinliModelForm):
    """A tag's settings. The community is chosen when the tag is made (a secretary: their own community;
    a superuser may leave it empty for a global tag) and does not change afterwards."""

    class Meta:
        model = Tag
        fields = ["name", "code", "community", "visit_interval_days", "sensitive", "color", "order", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from linli.residents.services import tag_communities

        field = self.fields["community"]
        if self.instance.pk:
            field.disabled = True
            field.queryset = field.queryset.filter(pk=self.instance.community_id)
        else:
            field.queryset = tag_communities(user)
        if self.instance.pk:
            field.required = self.instance.community_id is not None
        else:
            field.required = not user.is_superuser
        field.empty_label = "全市通用" if not field.required else None


class EmergencyContactForm(LinliForm):
    """One emergency contact; validated again (phone, relation) by residents.services_contacts."""

    name = forms.CharField(label="姓名", max_length=64, error_messages={"required": "请填写紧急联系人的姓名。"})
    relation = forms.ChoiceField(
        label="与居民关系",
        choices=[("", "请选择…"), *ContactRelation.choices],
        error_messages={"required": "请选择与居民的关系。"},
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=32,
        help_text="手机号或带区号的固定电话",
        error_messages={"required": "请填写紧急联系人的电话。"},
    )
    note = forms.CharField(label="备注", max_length=200, required=False, help_text="如“住在本小区5栋”“晚上打”")
