"""Forms of 专项工作: the campaign itself, its target audience (the notices' Audience, picked the way staff think),
an extra outcome, the department's sheet, the outcome of one target, the export layout."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from linli.areas.models import Building, Community, Grid
from linli.campaigns.models import Campaign
from linli.core.forms import IdMultipleChoiceField, ImportFileForm, LinliForm, LinliModelForm
from linli.residents.models import Tag


class CampaignForm(LinliModelForm):
    community = forms.ModelChoiceField(label="社区", queryset=Community.objects.none())

    class Meta:
        model = Campaign
        fields = ["community", "name", "department", "description", "starts_on", "deadline"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["community"]
        else:
            # Without a choice of communities (the view always passes the user's), nothing can be chosen.
            self.fields["community"].queryset = communities if communities is not None else Community.objects.none()
            if communities is not None and communities.count() == 1:
                self.initial.setdefault("community", communities.first())
        self.fields["description"].help_text = "写给网格员和居民看：要做什么、带什么材料、线上怎么办。"


class AudienceForm(LinliForm):
    """Who the campaign is for, as linli.notices.audience.Audience: an area, narrowed by groups and age."""

    grids = IdMultipleChoiceField(
        label="网格", queryset=Grid.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    buildings = IdMultipleChoiceField(
        label="楼栋", queryset=Building.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = IdMultipleChoiceField(
        label="人员类别", queryset=Tag.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    party_members = forms.BooleanField(label="党员", required=False)
    volunteers = forms.BooleanField(label="志愿者", required=False)
    age_min = forms.IntegerField(label="年龄从（岁）", required=False, min_value=0, max_value=130)
    age_max = forms.IntegerField(label="年龄到（岁）", required=False, min_value=0, max_value=130)

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        grids = Grid.objects.restrict(user).filter(community=campaign.community)
        self.fields["grids"].queryset = grids.order_by("number")
        self.fields["buildings"].queryset = (
            Building.objects.restrict(user).filter(community=campaign.community).order_by("number")
        )
        tags = Tag.objects.visible_to(user).filter(Q(community__isnull=True) | Q(community=campaign.community))
        self.fields["tags"].queryset = tags.filter(is_active=True).order_by("order", "id")
        self.fields["grids"].help_text = "网格和楼栋都不选：全社区。"
        self.fields["tags"].help_text = "不选：区域内所有人；选了：属于任一类别的人。"

    def clean(self):
        data = super().clean()
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", "最大年龄不能小于最小年龄。")
        return data

    def audience(self):
        from linli.notices.audience import Audience

        d = self.cleaned_data
        return Audience(
            community_id=self.campaign.community_id,
            grid_ids=tuple(g.pk for g in d.get("grids") or ()),
            building_ids=tuple(b.pk for b in d.get("buildings") or ()),
            tag_ids=tuple(t.pk for t in d.get("tags") or ()),
            party_members=bool(d.get("party_members")),
            volunteers=bool(d.get("volunteers")),
            age_min=d.get("age_min"),
            age_max=d.get("age_max"),
        )


class OutcomeForm(LinliForm):
    label = forms.CharField(label="结果名称", max_length=30)
    is_done = forms.BooleanField(label="算作完成", required=False, initial=True)
    in_person = forms.BooleanField(label="上门办结（同时记为一次走访）", required=False)


class RecordForm(LinliForm):
    """One tap on the grid worker's page: the outcome (the pressed button) and an optional note."""

    outcome = forms.CharField(label="结果", max_length=30)
    note = forms.CharField(label="备注", max_length=200, required=False)


class CampaignUploadForm(ImportFileForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "部门名单"
        self.fields[
            "file"
        ].help_text = "部门发来的 Excel（.xlsx / .xls）或 CSV：要有“姓名”列，以及“身份证号”或“地址”列。"
