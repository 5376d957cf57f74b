from __future__ import annotations

from django import forms

from linli.bigscreen.choices import DEFAULT_PANELS, Panel
from linli.bigscreen.models import ROTATE_MAX, ROTATE_MIN
from linli.bigscreen.services import manageable_communities, manageable_streets
from linli.core.forms import LinliForm


class ScreenForm(LinliForm):
    """A screen's settings; `node` (which community or street) only when it is set up."""

    name = forms.CharField(
        label="名称",
        max_length=64,
        help_text="如“党群服务中心一楼大厅”",
        error_messages={"required": "请填写大屏的名称。"},
    )
    node = forms.ChoiceField(
        label="显示哪里的数据",
        help_text="大屏只显示这个社区（或街道）的汇总数字，不显示任何个人信息。",
        error_messages={"required": "请选择大屏显示哪个社区（或街道）的数据。"},
    )
    panels = forms.MultipleChoiceField(
        label="轮播内容",
        choices=Panel.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=DEFAULT_PANELS,
        error_messages={"required": "请至少选择一项轮播内容。", "invalid_choice": "没有这项轮播内容。"},
    )
    rotate_seconds = forms.IntegerField(
        label="每屏停留（秒）",
        min_value=ROTATE_MIN,
        max_value=ROTATE_MAX,
        initial=20,
        error_messages={
            "invalid": "请填写秒数。",
            "min_value": f"每屏至少停留{ROTATE_MIN}秒。",
            "max_value": f"每屏最多停留{ROTATE_MAX}秒。",
            "required": "请填写每屏停留的秒数。",
        },
    )

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["node"]
            return
        choices = [(f"street:{s.pk}", f"{s.name}（整个街道）") for s in manageable_streets(user).order_by("name")]
        choices += [
            (f"community:{c.pk}", c.name)
            for c in manageable_communities(user).select_related("street").order_by("code")
        ]
        self.fields["node"].choices = choices
        self.fields["node"].error_messages["invalid_choice"] = "请选择您管辖的社区或街道。"
        if len(choices) == 1:
            self.fields["node"].initial = choices[0][0]

    def node_ids(self) -> tuple[int | None, int | None]:
        """(street id, community id) of the chosen node."""
        level, _, pk = self.cleaned_data["node"].partition(":")
        return (int(pk), None) if level == "street" else (None, int(pk))
