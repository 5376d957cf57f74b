"""Forms for matters, publications, objections and follow-up tasks; the rules live in linli.deliberation.services."""

from __future__ import annotations

from django import forms

from linli.areas.models import Building, Community, Grid
from linli.core.forms import IdMultipleChoiceField, LinliForm
from linli.deliberation.choices import MatterScope, MatterStatus, RaisedBy
from linli.deliberation.models import PUBLICITY_DAYS

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class BuildingLabel(IdMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.community.name} {obj.name}" if self.many_communities else obj.name


class MatterForm(LinliForm):
    """A matter: what, and whose (the scope: a building, several buildings, a grid or the whole community)."""

    community = forms.ModelChoiceField(label="社区", queryset=None, error_messages={"required": "请选择社区。"})
    title = forms.CharField(
        label="议题", max_length=100, help_text="如“3栋加装电梯”。", error_messages={"required": "请填写议题。"}
    )
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    scope = forms.ChoiceField(label="范围", choices=MatterScope.choices, initial=MatterScope.COMMUNITY)
    grid = forms.ModelChoiceField(label="网格", queryset=None, required=False, help_text="范围是“一个网格”时选择。")
    buildings = BuildingLabel(
        label="楼栋",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="范围是“一栋楼”或“几栋楼”时选择。",
    )
    raised_by = forms.ChoiceField(label="提出方", choices=RaisedBy.choices, initial=RaisedBy.STAFF)
    raised_by_name = forms.CharField(
        label="提出人/组织", max_length=100, required=False, help_text="居民组织的名称，或提出的居民。"
    )

    def __init__(self, *args, communities, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        communities = list(communities)
        ids = [editing.community_id] if editing else [c.pk for c in communities]
        if editing:
            del self.fields["community"]
        else:
            self.fields["community"].queryset = Community.objects.filter(pk__in=ids).order_by("street_id", "code")
            if len(communities) == 1:
                self.fields["community"].initial = communities[0].pk
        self.fields["grid"].queryset = Grid.objects.filter(community_id__in=ids).select_related("community")
        field = self.fields["buildings"]
        field.queryset = (
            Building.objects.filter(community_id__in=ids).select_related("community").order_by("community_id", "number")
        )
        field.many_communities = len(ids) > 1

    @staticmethod
    def initial_for(matter) -> dict:
        return {
            "title": matter.title,
            "description": matter.description,
            "scope": matter.scope,
            "grid": matter.grid_id,
            "buildings": [b.pk for b in matter.buildings.all()],
            "raised_by": matter.raised_by,
            "raised_by_name": matter.raised_by_name,
        }

    def service_kwargs(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "community"}


class ProposalForm(LinliForm):
    """A resident's own proposal: large type, three fields."""

    title = forms.CharField(
        label="想商量的事",
        max_length=100,
        help_text="一句话，如“楼道里装个扶手”。",
        error_messages={"required": "请写下想商量的事。"},
    )
    description = forms.CharField(
        label="详细说说", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="为什么需要，大概怎么做。"
    )
    whole_community = forms.TypedChoiceField(
        label="和谁有关",
        choices=[("0", "我住的这栋楼"), ("1", "整个社区")],
        coerce=lambda v: v == "1",
        initial="0",
        widget=forms.RadioSelect,
    )


class ReasonForm(LinliForm):
    reason = forms.CharField(label="原因", max_length=200, error_messages={"required": "请填写原因。"})


class MoveForm(LinliForm):
    status = forms.ChoiceField(label="改为", choices=[])
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, MatterStatus(s).label) for s in choices]


class PublicationForm(LinliForm):
    title = forms.CharField(label="公示标题", max_length=100, error_messages={"required": "请填写公示标题。"})
    body = forms.CharField(
        label="公示内容",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="将在社区公示栏公开，不要写姓名、电话、门牌号。",
        error_messages={"required": "请填写公示内容。"},
    )
    days = forms.IntegerField(label="公示天数", min_value=1, max_value=60, initial=PUBLICITY_DAYS)


class ObjectionForm(LinliForm):
    text = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 3}))
    name = forms.CharField(label="提出人", max_length=64, required=False, help_text="可以不填（匿名）。")
    phone = forms.CharField(label="联系电话", max_length=32, required=False, help_text="只有社区工作人员能看到。")


class ResponseForm(LinliForm):
    response = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 2}))


class TaskForm(LinliForm):
    title = forms.CharField(label="任务", max_length=100, error_messages={"required": "请填写任务。"})
    owner = forms.ModelChoiceField(label="负责人", queryset=None, error_messages={"required": "请选择负责人。"})
    deadline = forms.DateField(label="完成期限", widget=DATE, error_messages={"invalid": "日期格式应为 2026-01-31。"})
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.full_name or u.username


class NoteForm(LinliForm):
    note = forms.CharField(label="说明", max_length=200, required=False)


class AppealForm(LinliForm):
    text = forms.CharField(
        label="要办的事",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="生成一条待派单的诉求，由承办单位办理。",
    )


class ProblemItemForm(LinliForm):
    problem_list = forms.ModelChoiceField(
        label="问题清单", queryset=None, error_messages={"required": "请选择问题清单。"}
    )
    title = forms.CharField(label="事项", max_length=200, required=False, help_text="不填则用议题标题。")
    due_on = forms.DateField(
        label="完成时限", required=False, widget=DATE, error_messages={"invalid": "日期格式应为 2026-01-31。"}
    )

    def __init__(self, *args, lists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem_list"].queryset = lists
