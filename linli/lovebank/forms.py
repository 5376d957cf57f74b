from django import forms

from linli.core.forms import LinliForm, LinliModelForm
from linli.lovebank.choices import ItemKind
from linli.lovebank.models import CatalogueItem


class CatalogueItemForm(LinliModelForm):
    class Meta:
        model = CatalogueItem
        fields = ["name", "kind", "unit", "price", "stock", "description", "is_active", "order"]


class RedemptionForm(LinliForm):
    """The counter: one item, how many, handed over now or later; `key` makes a double submit count once."""

    item = forms.ModelChoiceField(
        label="兑换物品",
        queryset=CatalogueItem.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "请选择要兑换的物品。"},
    )
    quantity = forms.IntegerField(label="数量", min_value=1, max_value=99, initial=1)
    collected = forms.BooleanField(label="当场领取", required=False, initial=True)
    note = forms.CharField(label="备注", max_length=200, required=False)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # Shown (as a checkbox) only after services.RepeatRedemption: the same item a moment ago at another counter.
    confirm_repeat = forms.BooleanField(label="确认再兑换一次", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items if items is not None else CatalogueItem.objects.none()
        self.fields["item"].label_from_instance = _item_label

    def ask_to_confirm_repeat(self):
        """After a RepeatRedemption: the warning stands on a checkbox the clerk ticks to redeem once more."""
        self.fields["confirm_repeat"].widget = forms.CheckboxInput()


def _item_label(item):
    stock = "不限" if item.stock is None else f"剩{item.stock}{item.unit}"
    kind = "（服务）" if item.kind == ItemKind.SERVICE else ""
    return f"{item.name}{kind} · {item.price}分/{item.unit} · {stock}"


class DeedForm(LinliForm):
    subject_name = forms.CharField(label="做好事的人", max_length=64)
    occurred_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label="事迹", widget=forms.Textarea(attrs={"rows": 4}))
    points = forms.IntegerField(label="建议积分", min_value=0, max_value=1000, required=False)

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communities is not None and len(communities) > 1:  # a street admin says which community
            self.fields["community"] = forms.TypedChoiceField(
                label="社区", coerce=int, choices=[(c.pk, c.name) for c in communities]
            )


class DeedApproveForm(LinliForm):
    resident = forms.TypedChoiceField(label="获得积分的人", coerce=int, required=False)
    points = forms.IntegerField(label="积分", min_value=1, max_value=1000)
    note = forms.CharField(label="审核意见", max_length=200, required=False)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [("", "（报告里已指定账户）")] + list(candidates)


class HolderForm(LinliForm):
    name = forms.CharField(label="姓名", max_length=64)
    phone = forms.CharField(label="电话", max_length=24)
    community = forms.TypedChoiceField(label="社区", coerce=int)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [(c.pk, c.name) for c in communities]


#: 光荣榜 and 月度汇总 periods: this month / quarter / year, or a range of dates.
PERIODS = [("month", "本月"), ("quarter", "本季度"), ("year", "本年"), ("custom", "自定义")]
BOARD_KINDS = [("points", "按积分"), ("hours", "按时长")]
#: A custom period longer than this is taken for a typing mistake (a year typed 2206).
MAX_PERIOD_DAYS = 3660
_DATE_ERRORS = {"invalid": "日期格式不正确，应为 YYYY-MM-DD。"}


class PeriodForm(LinliForm):
    """Which period a board or a total covers (the GET query string); `end` is the last day, included."""

    by = forms.ChoiceField(label="排名", choices=BOARD_KINDS, required=False)
    period = forms.ChoiceField(label="时间", choices=PERIODS, required=False)
    start = forms.DateField(
        label="从", required=False, error_messages=_DATE_ERRORS, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="到", required=False, error_messages=_DATE_ERRORS, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom" or (data.get("start") or data.get("end")):
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError("自定义时间段请填写开始和结束日期。")
            if end < start:
                raise forms.ValidationError("结束日期不能早于开始日期。")
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError("时间段最长10年，请检查日期。")
            data["period"] = "custom"
        return data


class EarningRuleForm(LinliForm):
    """One row of the 积分规则 page: a community's points per hour for one activity type ("" = default)."""

    community = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    points_per_hour = forms.CharField(
        label="每小时积分", max_length=20, error_messages={"required": "请填写每小时积分。"}
    )
