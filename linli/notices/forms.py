"""Forms of the notice pages: the notice itself, the audience picker (who it reaches, chosen the way staff think),
withdrawing, and saved lists (常用名单).

The audience picker only offers what the user may reach: the communities where they may write notices, and in the
chosen community the grids and buildings their assignment covers (a grid worker: their grid and its buildings),
the care-group tags their role may see, and the community's saved lists. What it cleans to is an
`Audience` (linli.notices.audience), checked again by the services.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from linli.areas.models import Building, Community, Grid
from linli.areas.scope import communities_for
from linli.attachments.forms import MultiplePhotoField
from linli.core.forms import IdMultipleChoiceField, LinliForm, LinliModelForm
from linli.core.params import parse_id
from linli.notices.audience import PARTY_TAG, Audience, reachable_buildings, reachable_grids
from linli.notices.choices import NoticeChannel
from linli.notices.models import Notice, SavedAudience
from linli.residents.models import Tag

#: Audience.check's error keys → the picker's fields.
AUDIENCE_FIELDS = {
    "grid_ids": "grids",
    "building_ids": "buildings",
    "tag_ids": "tags",
    "saved_list_id": "saved_list",
    "age_min": "age_min",
    "age_max": "age_max",
    "community_id": "community",
}


def picker_tags(user, community):
    """Care-group tags of this community the role may see (sensitive ones only with resident.view_sensitive)."""
    tags = Tag.objects.visible_to(user).for_community(community.pk).filter(is_active=True)
    return tags.exclude(code=PARTY_TAG).order_by("order", "id")  # 党员 has its own box


class AudienceForm(LinliForm):
    """通知对象. Area (nothing ticked: the whole community), then groups (none ticked: everyone in the area), an age
    range, or a saved list instead of area and groups."""

    community = forms.ModelChoiceField(label="社区", queryset=Community.objects.none())
    grids = IdMultipleChoiceField(
        label="网格", queryset=Grid.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    buildings = IdMultipleChoiceField(
        label="楼栋", queryset=Building.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = IdMultipleChoiceField(
        label="人群标签", queryset=Tag.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    party_members = forms.BooleanField(label="党员", required=False)
    volunteers = forms.BooleanField(label="志愿者", required=False)
    age_min = forms.IntegerField(label="年龄从（岁）", required=False, min_value=0, max_value=130)
    age_max = forms.IntegerField(label="年龄到（岁）", required=False, min_value=0, max_value=130)
    saved_list = forms.ModelChoiceField(
        label="或者选常用名单", queryset=SavedAudience.objects.none(), required=False, empty_label="（不用名单）"
    )

    def __init__(self, data=None, *, user, perm: str = "notice.add", community=None, **kwargs):
        """`community` fixes the community (editing a draft); otherwise the one chosen in `data`, or the first of
        the user's."""
        super().__init__(data, **kwargs)
        self.user = user
        self.communities = communities_for(user, perm).order_by("street_id", "code")
        self.fields["community"].queryset = self.communities
        if community is not None:
            self.fields["community"].queryset = Community.objects.filter(pk=community.pk)
            self.fields["community"].initial = community.pk
            self.fields["community"].disabled = True
        self.community = community or self._chosen_community(data)
        if self.community is not None:
            self.fields["community"].initial = self.community.pk
            self.fields["grids"].queryset = reachable_grids(user, self.community.pk).order_by("number", "id")
            self.fields["buildings"].queryset = reachable_buildings(user, self.community.pk).order_by("number", "id")
            self.fields["tags"].queryset = picker_tags(user, self.community)
            self.fields["saved_list"].queryset = SavedAudience.objects.restrict(user).filter(community=self.community)
        self.fields["buildings"].label_from_instance = lambda b: b.name
        self.fields["grids"].label_from_instance = lambda g: g.name

    def _chosen_community(self, data):
        pk = parse_id(data.get("community")) if data is not None else None
        if pk is None and data is None:
            pk = parse_id(self.initial.get("community"))
        if pk is not None:
            chosen = self.communities.filter(pk=pk).first()
            if chosen is not None:
                return chosen
        return self.communities.first() if data is None or pk is None else None

    def clean(self):
        data = super().clean()
        if self.errors or self.community is None:
            if self.community is None and "community" not in self.errors:
                self.add_error("community", "请选择社区。")
            return data
        audience = self.audience_from(data)
        try:
            audience.check(self.user)
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                self.add_error(AUDIENCE_FIELDS.get(key) if AUDIENCE_FIELDS.get(key) in self.fields else None, errors)
        return data

    def audience_from(self, data) -> Audience:
        saved = data.get("saved_list")
        return Audience(
            community_id=self.community.pk,
            grid_ids=tuple(sorted(g.pk for g in data.get("grids") or ())),
            building_ids=tuple(sorted(b.pk for b in data.get("buildings") or ())),
            tag_ids=tuple(sorted(t.pk for t in data.get("tags") or ())),
            party_members=bool(data.get("party_members")),
            volunteers=bool(data.get("volunteers")),
            age_min=data.get("age_min"),
            age_max=data.get("age_max"),
            saved_list_id=saved.pk if saved else None,
        )

    @property
    def audience(self) -> Audience:
        """The cleaned choice (call after is_valid())."""
        return self.audience_from(self.cleaned_data)

    @staticmethod
    def initial_for(audience: Audience) -> dict:
        return {
            "community": audience.community_id,
            "grids": list(audience.grid_ids),
            "buildings": list(audience.building_ids),
            "tags": list(audience.tag_ids),
            "party_members": audience.party_members,
            "volunteers": audience.volunteers,
            "age_min": audience.age_min,
            "age_max": audience.age_max,
            "saved_list": audience.saved_list_id,
        }

    @property
    def community_id_value(self) -> int | None:
        return self.community.pk if self.community is not None else None

    def area_fields(self):
        return [self[n] for n in ("grids", "buildings")]

    def group_fields(self):
        return [self[n] for n in ("tags", "party_members", "volunteers")]


def audience_query(audience: Audience) -> str:
    """The picker's query string for a stored audience (the 下载名单 link of a notice)."""
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    for key, values in AudienceForm.initial_for(audience).items():
        if isinstance(values, list):
            q.setlist(key, [str(v) for v in values])
        elif values not in (None, False):
            q[key] = "on" if values is True else str(values)
    return q.urlencode()


class NoticeForm(LinliModelForm):
    channels = forms.MultipleChoiceField(
        label="发送渠道",
        choices=NoticeChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[NoticeChannel.IN_APP],
        help_text="站内：居民登录邻里即可看到；企业微信群：发到所选范围绑定的群；短信：发到居民登记的手机；"
        "张贴/入户：打印楼道张贴和入户告知清单。",
    )
    photos = MultiplePhotoField(label="图片（可选）", required=False)

    class Meta:
        model = Notice
        fields = ["title", "body", "category", "channels", "is_public", "must_confirm", "confirm_by"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "confirm_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def service_kwargs(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class WithdrawForm(LinliForm):
    reason = forms.CharField(
        label="撤回原因", max_length=200, help_text="如“停水时间改了，重新发布”。居民不会看到原因。"
    )


class SavedAudienceForm(LinliForm):
    community = forms.ModelChoiceField(label="社区", queryset=Community.objects.none())
    name = forms.CharField(label="名单名称", max_length=60, help_text="如“楼栋长”“秧歌队”。")
    description = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, user, saved=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities_for(user, "notice.add").order_by("street_id", "code")
        if saved is not None:
            del self.fields["community"]
