"""Forms of 专项工作: the campaign itself, its target audience (the notices' Audience, picked the way staff think),
an extra outcome, the department's sheet, the outcome of one target, the export layout."""

from __future__ import annotations

from django import forms

from linli.areas.models import Community
from linli.campaigns.models import Campaign
from linli.core.forms import ImportFileForm, LinliForm, LinliModelForm
from linli.notices.forms import AudienceForm as NoticeAudienceForm


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


class AudienceForm(NoticeAudienceForm):
    """Who the campaign is for: the notices' audience picker (area, groups, age; linli.notices.forms.AudienceForm) fixed
    to the campaign's community, for those who set campaigns up (campaign.manage). A saved list is not offered: a
    department's list comes in through the import."""

    def __init__(self, data=None, *, user, campaign, **kwargs):
        super().__init__(data, user=user, perm="campaign.manage", community=campaign.community, **kwargs)
        self.campaign = campaign
        del self.fields["saved_list"]
        self.fields["grids"].help_text = "网格和楼栋都不选：全社区。"
        self.fields["tags"].help_text = "不选：区域内所有人；选了：属于任一类别的人。"


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
