"""Forms of the structure pages: a party organisation, a 共建单位, a unit's review, a 中心户's households."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from linli.accounts.models import User
from linli.areas.models import Community, Grid, Street
from linli.core.forms import LinliForm, LinliModelForm
from linli.party.choices import OrgKind, UnitKind
from linli.party.models import PartnerUnit, PartyOrg


def staff_accounts(org: PartyOrg | None, *, community=None, street=None):
    """The accounts a secretary may be chosen from: active users assigned in the community (or its grids and
    buildings); for a street's 大工委, users assigned to the street or its communities."""
    community_id = community.pk if community is not None else getattr(org, "community_id", None)
    street_id = street.pk if street is not None else getattr(org, "street_id", None)
    if community_id:
        where = (
            Q(assignments__community_id=community_id)
            | Q(assignments__grid__community_id=community_id)
            | Q(assignments__building__community_id=community_id)
        )
    elif street_id:
        where = Q(assignments__street_id=street_id) | Q(assignments__community__street_id=street_id)
    else:
        return User.objects.none()
    ids = User.objects.filter(where, is_active=True).values("pk")
    return User.objects.filter(pk__in=ids).order_by("full_name", "username")


class PartyOrgForm(LinliModelForm):
    """A party organisation: its kind follows from its parent (choices.PARENT_KIND). The community is chosen for a
    社区大党委 only, the grid for a 网格党支部 only (among the community's grids), the secretary's account among
    the community's staff."""

    class Meta:
        model = PartyOrg
        fields = [
            "name",
            "street",
            "community",
            "grid",
            "form",
            "secretary",
            "secretary_name",
            "phone",
            "established_on",
            "sort_order",
            "is_active",
        ]
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, kind: str = OrgKind.STREET_COMMITTEE, parent: PartyOrg | None = None, **kwargs):
        self.kind, self.parent = kind, parent
        communities = kwargs.pop("communities", None)
        streets = kwargs.pop("streets", None)
        super().__init__(*args, **kwargs)
        org = self.instance
        community = parent.community if parent is not None and parent.community_id else None
        if kind != OrgKind.STREET_COMMITTEE or org.pk:
            del self.fields["street"]
        else:
            self.fields["street"].queryset = streets if streets is not None else Street.objects.none()
        if kind == OrgKind.COMMUNITY_COMMITTEE and not org.pk:
            self.fields["community"].required = True
            qs = communities if communities is not None else Community.objects.none()
            if parent is not None:
                qs = qs.filter(street_id=parent.street_id)
            self.fields["community"].queryset = qs.order_by("name")
        else:
            del self.fields["community"]
            community = community or (org.community if org.community_id else None)
        if kind == OrgKind.GRID_BRANCH:
            self.fields["grid"].required = True
            self.fields["grid"].queryset = (
                Grid.objects.filter(community=community).order_by("number") if community else Grid.objects.none()
            )
        else:
            del self.fields["grid"]
        if kind == OrgKind.GROUP:
            del self.fields["form"]
            self.fields["secretary"].label = "组长账号"
            self.fields["secretary_name"].label = "组长"
        street = parent.street if parent is not None else (org.street if org.street_id else None)
        self.fields["secretary"].queryset = staff_accounts(org, community=community, street=street)
        self.fields["secretary"].label_from_instance = lambda u: u.full_name or u.username
        if not org.pk:
            del self.fields["is_active"]
        else:
            self.fields["is_active"].help_text = "取消勾选即撤销该组织；须先没有有效的下级组织和在册党员。"


class PartnerUnitForm(LinliModelForm):
    """A 共建单位 of a community: a member unit of the 社区大党委 and/or a 双报到 unit."""

    class Meta:
        model = PartnerUnit
        fields = [
            "community",
            "name",
            "kind",
            "party_org_name",
            "contact_name",
            "contact_phone",
            "address",
            "in_committee",
            "committee_post",
            "dual_registered",
            "registered_on",
            "service_pledge",
            "is_active",
        ]
        widgets = {
            "registered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "service_pledge": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["community"]
        else:
            qs = communities if communities is not None else Community.objects.none()
            self.fields["community"].queryset = qs.order_by("name")
            del self.fields["is_active"]
        self.fields["kind"].choices = UnitKind.choices

    def clean(self):
        data = super().clean()
        if data.get("committee_post") and not data.get("in_committee"):
            self.add_error("committee_post", "填写大党委职务时请同时勾选“大党委成员单位”。")
        return data


class UnitReviewForm(LinliForm):
    """The community's decision on a pending 双报到 unit."""

    decision = forms.ChoiceField(label="确认结果", choices=[("confirm", "确认报到"), ("reject", "不通过")])
    note = forms.CharField(label="意见", max_length=200, required=False)


class CentreSinceForm(LinliForm):
    """The 中心户's start date (the households it looks after are the diagram's checkboxes)."""

    since = forms.DateField(
        label="设立日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
