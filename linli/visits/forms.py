import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from linli.areas.models import Building, Grid
from linli.attachments.forms import MultiplePhotoField
from linli.core.forms import IdMultipleChoiceField, LinliForm
from linli.residents.models import Resident
from linli.visits.choices import Outcome, Wellbeing


class VisitForm(LinliForm):
    """A few taps on a phone: outcome, wellbeing, optional notes. Rules live in services.log_visit."""

    outcome = forms.ChoiceField(
        label="走访结果",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择走访结果。", "invalid_choice": "请选择走访结果。"},
    )
    wellbeing = forms.ChoiceField(
        label="身心状况",
        choices=Wellbeing.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="不在家时不用填。",
        error_messages={"invalid_choice": "身心状况的选项无效。"},
    )
    findings = forms.CharField(label="发现情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    need = forms.CharField(
        label="居民诉求",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="走访中发现的需求，之后可转为诉求办理。",
    )
    visited_on = forms.DateField(
        label="走访日期",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"required": "请填写走访日期。", "invalid": "日期格式应为 2026-01-31。"},
    )
    photos = MultiplePhotoField(label="照片", help_text="可选，最多6张，单张不超过15MB。")
    to_appeal = forms.BooleanField(
        label="把居民诉求转为诉求办理", required=False, help_text="保存后打开诉求登记，内容已填好。"
    )

    def __init__(self, *args, user=None, **kwargs):
        kwargs.setdefault("initial", {"visited_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        if user is None or not user.has_role_perm("appeal.add"):
            del self.fields["to_appeal"]

    def service_kwargs(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "to_appeal"}


_RESIDENT_SPLIT = re.compile(r"[,，、;；\s]+")
_RESIDENT_TOKEN = re.compile(r"(?P<name>[^#\d]*)#?(?P<id>\d+)")


def resident_token(resident) -> str:
    """How a linked resident is written back into the form: unambiguous, still readable (张三#12)."""
    return f"{resident.name}#{resident.pk}"


class FieldNoteForm(LinliForm):
    """民情日记: date, text, tags, where, and who. Residents are typed by name and resolved within scope."""

    written_on = forms.DateField(
        label="日期",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"required": "请填写日期。", "invalid": "日期格式应为 2026-01-31。"},
    )
    text = forms.CharField(
        label="内容",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写日记内容。"},
    )
    tags = forms.CharField(label="标签", required=False, help_text="用逗号或空格分隔，如：旧改 晾衣架")
    residents = forms.CharField(
        label="相关居民",
        required=False,
        help_text="填姓名，多人用逗号或空格分隔；重名时填带编号的写法，如 张三#12。",
    )
    buildings = IdMultipleChoiceField(
        label="相关楼栋",
        queryset=Building.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    grid = forms.ModelChoiceField(
        label="网格",
        queryset=Grid.objects.none(),
        required=False,
        empty_label="按相关楼栋或居民确定",
        help_text="不选时，按第一个相关楼栋（或居民）所在网格归档。",
    )

    def __init__(self, *args, user, **kwargs):
        # A new note (the view passes initial=None) is dated today; an edited note keeps its own date.
        kwargs["initial"] = kwargs.get("initial") or {"written_on": timezone.localdate()}
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["buildings"].queryset = Building.objects.restrict(user).select_related("community")
        self.fields["buildings"].label_from_instance = lambda b: f"{b.community.name} {b.name}"
        self.fields["grid"].queryset = Grid.objects.restrict(user).select_related("community")
        self.fields["grid"].label_from_instance = lambda g: g.name

    def clean_tags(self):
        from linli.visits.services import parse_tags

        try:
            return parse_tags(self.cleaned_data["tags"])
        except ValidationError as exc:
            # The service names the field; here the error already belongs to it.
            raise ValidationError(exc.messages) from exc

    def clean_residents(self) -> list:
        """Names (or name#id) -> residents in the user's scope; unknown and ambiguous names are errors."""
        in_scope = Resident.objects.restrict(self.user).select_related("building", "household")
        found, errors = [], []
        for token in _RESIDENT_SPLIT.split(self.cleaned_data["residents"].strip()):
            if not token:
                continue
            match = _RESIDENT_TOKEN.fullmatch(token)
            if match:
                candidates = in_scope.filter(pk=int(match["id"]))
                if match["name"]:
                    candidates = candidates.filter(name=match["name"])
                hits = list(candidates[:1])
                if not hits:
                    errors.append(f"没有找到“{token}”这位居民（或不在您的管辖范围内）。")
            else:
                hits = list(in_scope.filter(name=token).order_by("id")[:6])
                if not hits:
                    errors.append(f"没有找到名叫“{token}”的居民（或不在您的管辖范围内）。")
                elif len(hits) > 1:
                    options = "、".join(
                        f"{resident_token(r)}（{r.building.name}{r.household.entrance}单元{r.household.room}）"
                        for r in hits[:5]
                    )
                    errors.append(f"有{len(hits)}位居民叫“{token}”：{options}，请改填带编号的写法。")
                    hits = []
            for r in hits:
                if r not in found:
                    found.append(r)
        if errors:
            raise forms.ValidationError(errors)
        return found

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["buildings"] = list(data["buildings"])
        return data

    @classmethod
    def initial_for(cls, note, user) -> dict:
        """The form's starting values for an edit; links are shown as the user may see them now."""
        return {
            "written_on": note.written_on,
            "text": note.text,
            "tags": " ".join(note.tag_list),
            "residents": " ".join(resident_token(r) for r in note.residents.restrict(user).order_by("id")),
            "buildings": list(note.buildings.restrict(user)),
            "grid": note.grid,
        }
