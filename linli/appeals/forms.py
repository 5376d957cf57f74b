"""Forms of the appeal pages: the intake screen and one small form per action on the detail page.

Forms only parse what was typed and resolve ids within the user's scope; the rules (states, who may,
required explanations) live in linli.appeals.services, whose ValidationErrors land on these fields
through linli.core.forms.attach_errors (field names match the services' error keys).
"""

from __future__ import annotations

from django import forms

from linli.appeals.choices import Channel, Outcome, Rating, ReplyMethod, Urgency
from linli.appeals.models import Appeal, Category, HandlingUnit
from linli.appeals.public import PUBLIC_REPLY_LIMIT
from linli.areas.addresses import BuildingIndex, match_room
from linli.areas.models import Building, Community
from linli.attachments.forms import MultiplePhotoField
from linli.core.forms import LinliForm
from linli.core.widgets import FastSelect
from linli.residents.models import Resident

#: Channels staff register from (居民自助 and 接口 arrive through their own doors).
STAFF_CHANNELS = [
    (c.value, c.label) for c in (Channel.VISIT, Channel.PHONE, Channel.WALK_IN, Channel.MESSAGE, Channel.HOTLINE)
]
URGENCY_DEFAULT = ("", "按类别默认")
#: Said under every field the public reads: staff know when they write for everyone.
PUBLIC_HELP = "将在公开页面和12345/Open311接口中公开，请勿填写姓名、电话、门牌号。"


def category_choices(empty_label: str = "暂不分类（派单前再选）") -> list:
    """Active categories grouped by their default unit (one <optgroup> per unit), for FastSelect."""
    groups: dict[str, list] = {}
    for cat in Category.objects.filter(is_active=True).select_related("unit").order_by("unit__sort", "sort", "id"):
        label = (
            cat.name if cat.default_urgency == Urgency.NORMAL else f"{cat.name}（{cat.get_default_urgency_display()}）"
        )
        groups.setdefault(cat.unit.name, []).append((cat.pk, label))
    return [("", empty_label), *groups.items()]


def unit_choices(empty_label: str | None = None) -> list:
    units = [(u.pk, u.name) for u in HandlingUnit.objects.filter(is_active=True)]
    return [("", empty_label), *units] if empty_label else [("", "请选择承办单位"), *units]


class CategoryField(forms.TypedChoiceField):
    """A category id from the grouped select, cleaned to a Category (or None)."""

    widget = FastSelect

    def __init__(self, *, empty_label: str | None = None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "问题类别")
        choices = (lambda: category_choices(empty_label)) if empty_label else category_choices
        super().__init__(choices=choices, coerce=int, empty_value=None, **kwargs)

    def clean(self, value):
        pk = super().clean(value)
        if pk is None:
            return None
        category = Category.objects.filter(pk=pk, is_active=True).first()
        if category is None:
            raise forms.ValidationError("问题类别的选项无效。")
        return category


class UnitField(forms.TypedChoiceField):
    widget = FastSelect

    def __init__(self, *, empty_label=None, **kwargs):
        kwargs.setdefault("label", "承办单位")
        super().__init__(choices=lambda: unit_choices(empty_label), coerce=int, empty_value=None, **kwargs)
        self.error_messages["required"] = "请选择承办单位。"
        self.error_messages["invalid_choice"] = "承办单位的选项无效。"

    def clean(self, value):
        pk = super().clean(value)
        return None if pk is None else HandlingUnit.objects.filter(pk=pk, is_active=True).first()


# --- intake ----------------------------------------------------------------------------------------


class AppealForm(LinliForm):
    """诉求登记: what, how urgent, from where, who reported it, where it is; photos optional."""

    text = forms.CharField(
        label="诉求内容",
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "居民反映的问题，尽量写清时间、地点、影响"}),
        error_messages={"required": "请填写诉求内容。"},
    )
    category = CategoryField(help_text="不确定可以先不选，派单时再选。")
    urgency = forms.ChoiceField(
        label="紧急程度",
        choices=[URGENCY_DEFAULT, *Urgency.choices],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "紧急程度的选项无效。"},
    )
    channel = forms.ChoiceField(
        label="来源渠道",
        choices=STAFF_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择来源渠道。", "invalid_choice": "请选择来源渠道。"},
    )
    reporter = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reporter_name = forms.CharField(label="反映人姓名", required=False, max_length=40)
    reporter_phone = forms.CharField(
        label="反映人电话", required=False, max_length=24, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    anonymous = forms.BooleanField(label="匿名反映（不记录反映人）", required=False)
    sms_notify = forms.BooleanField(
        label="反映人同意短信通知",
        required=False,
        help_text="问过反映人并同意后勾选：系统把查询码和办理答复用短信发到反映人的手机（短信里没有姓名和电话）。",
    )
    community = forms.ModelChoiceField(
        label="社区", queryset=Community.objects.none(), required=False, empty_label="请选择社区"
    )
    building = forms.TypedChoiceField(label="楼栋", required=False, coerce=int, empty_value=None, widget=FastSelect)
    room = forms.CharField(
        label="户室", required=False, max_length=40, help_text="如 2单元502；只填502时按楼栋内唯一的502匹配。"
    )
    address = forms.CharField(
        label="地点",
        required=False,
        max_length=200,
        help_text="不在某一户时填写，如“小区东门”“3栋北侧路灯”；写了楼栋会自动关联楼栋，写成“3栋2单元502”会匹配户室。",
    )
    visit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A radio of the "可能重复的诉求" panel (dispatchers only): register this one and merge it into that one.
    merge_into = forms.IntegerField(required=False, widget=forms.HiddenInput)
    photos = MultiplePhotoField(label="照片", help_text="可选，最多6张，单张不超过15MB。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.communities = list(Community.objects.restrict(user).order_by("street_id", "code"))
        self.fields["community"].queryset = Community.objects.restrict(user)
        if len(self.communities) == 1:
            self.fields["community"].initial = self.communities[0].pk
        self.buildings = list(
            Building.objects.restrict(user).select_related("community").order_by("community_id", "number")
        )
        groups: dict[str, list] = {}
        for b in self.buildings:
            groups.setdefault(b.community.name, []).append(
                (b.pk, f"{b.name}{'（' + b.compound + '）' if b.compound else ''}")
            )
        choices = [("", "不选楼栋")]
        if len(groups) == 1:
            choices += next(iter(groups.values()))
        else:
            choices += list(groups.items())
        self.fields["building"].choices = choices
        self.fields["building"].error_messages["invalid_choice"] = "所选楼栋不在您的管辖范围内。"

    def clean_reporter(self):
        pk = self.cleaned_data.get("reporter")
        if not pk:
            return None
        resident = Resident.objects.restrict(self.user).select_related("household__building").filter(pk=pk).first()
        if resident is None:
            raise forms.ValidationError("所选居民不在您的管辖范围内。")
        return resident

    def clean_merge_into(self):
        pk = self.cleaned_data.get("merge_into")
        if not pk:
            return None
        main = Appeal.objects.restrict(self.user, "dispatch").filter(pk=pk).first()
        if main is None:
            raise forms.ValidationError("要并入的诉求不在您的派单范围内。")
        return main

    def clean_building(self):
        pk = self.cleaned_data.get("building")
        return None if pk is None else Building.objects.restrict(self.user).select_related("community").get(pk=pk)

    def clean(self):
        data = super().clean()
        building = data.get("building")
        room = (data.get("room") or "").strip()
        data["household"] = None
        if building is not None and room:
            found = match_room(building, room)
            if found.household is None:
                self.add_error("room", found.why)
            data["household"] = found.household
        elif building is None and room:
            # "3栋2单元502" typed into the room box without choosing the building.
            error = self._match_address(data, room)
            if error:
                self.add_error("room", error)
        elif building is None and data.get("address"):
            # A free address naming a building of the user's area files the appeal there (and at the
            # household when it names one); the text stays as 地点 unless it was nothing but the address.
            found = self._places(data).match(data["address"])
            if found.building is not None:
                data["building"], data["household"] = found.building, found.household
                if found.exact and (found.household is not None or found.room is None):
                    data["address"] = ""
        return data

    def _places(self, data: dict) -> BuildingIndex:
        """The buildings of the user's area an address may name (of the chosen community, if one is)."""
        community = data.get("community")
        if community is None:
            return BuildingIndex(self.buildings, where="您的管辖范围")
        return BuildingIndex([b for b in self.buildings if b.community_id == community.pk], where=community.name)

    def _match_address(self, data: dict, text: str) -> str | None:
        """Resolve "3栋2单元502" to a building (and household) of the user's area; the error text, or None."""
        found = self._places(data).match(text)
        if found.building is None:
            if found.number is None:
                return "请先选择楼栋，或写成 3栋2单元502 的样子。"
            return f"找不到唯一对应的楼栋（{found.why}），请在“楼栋”中选择。"
        if found.room and found.household is None:
            return found.why
        data["building"], data["household"] = found.building, found.household
        return None

    def service_kwargs(self, visit=None) -> dict:
        d = self.cleaned_data
        return {
            "text": d["text"],
            "channel": d["channel"],
            "category": d.get("category"),
            "urgency": d.get("urgency") or None,
            "reporter": d.get("reporter"),
            "reporter_name": d.get("reporter_name", ""),
            "reporter_phone": d.get("reporter_phone", ""),
            "anonymous": d.get("anonymous", False),
            "sms_notify": d.get("sms_notify", False),
            "community": d.get("community"),
            "building": d.get("building"),
            "household": d.get("household"),
            "address": d.get("address", ""),
            "visit": visit,
        }


class IntakeDispatchForm(LinliForm):
    """The dispatcher's "登记并派单" part of the intake screen."""

    dispatch_unit = UnitField(
        label="派往承办单位",
        required=False,
        empty_label="按问题类别自动确定",
        help_text="不选时按问题类别和本社区设置确定。",
    )
    dispatch_note = forms.CharField(label="派单说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- actions on the detail page --------------------------------------------------------------------

NOTE = {"widget": forms.Textarea(attrs={"rows": 2}), "required": False}


class AppealDispatchForm(LinliForm):
    """派单 in one step: the category (pre-filled with the appeal's or the suggested one) and the unit."""

    category = CategoryField(
        empty_label="请选择问题类别",
        help_text="办理时限按类别计算。未分类的诉求已按内容预选了类别和承办单位，核对后直接派单即可。",
    )
    unit = UnitField(required=True)
    note = forms.CharField(label="派单说明", **NOTE)


class AppealSignForm(LinliForm):
    pass


class AppealReturnForm(LinliForm):
    reason = forms.CharField(
        label="退回理由",
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "应由哪个单位办理，或缺少什么信息"}),
        error_messages={"required": "请填写退回理由，说明应由哪个单位办理或缺少什么信息。"},
    )


class AppealAssistForm(LinliForm):
    unit = UnitField(required=True, label="协办单位")
    note = forms.CharField(label="协办事项", **NOTE)


#: Who reads a progress note (issue 14). The reporter's tracking page is one audience; 公开答复 (the whole public,
#: Open311) is another and is written apart, at 办结 and 回访.
NOTE_INTERNAL, NOTE_PUBLIC, NOTE_STAFF = "internal", "public", "staff"
NOTE_VISIBILITY = [
    (NOTE_INTERNAL, "内部（只有办理人员能看到）"),
    (NOTE_PUBLIC, "向居民公开（反映人在查询页面能看到）"),
    (NOTE_STAFF, "仅社区内部（承办机构也看不到）"),
]


class AppealProgressForm(LinliForm):
    note = forms.CharField(
        label="办理进展", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请填写进展情况。"}
    )
    visibility = forms.ChoiceField(
        label="谁能看到",
        choices=NOTE_VISIBILITY,
        initial=NOTE_INTERNAL,
        required=False,  # not sent: 内部, the default
        widget=forms.RadioSelect,
        help_text="办理进展默认内部可见；选“向居民公开”后，反映人用查询码或手机号查询时能看到这条进展。",
        error_messages={"required": "请选择谁能看到这条进展。", "invalid_choice": "请选择谁能看到这条进展。"},
    )


class AppealExtensionForm(LinliForm):
    workdays = forms.IntegerField(
        label="延长工作日",
        min_value=1,
        max_value=30,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "请填写延长的工作日。",
            "invalid": "请填写数字。",
            "min_value": "延长的工作日应在1到30之间。",
            "max_value": "延长的工作日应在1到30之间。",
        },
    )
    reason = forms.CharField(
        label="延期理由", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写延期理由。"}
    )


class AppealExtensionDecideForm(LinliForm):
    decision = forms.ChoiceField(
        label="审批",
        choices=[("approve", "同意延期"), ("refuse", "不同意")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择同意或不同意。", "invalid_choice": "请选择同意或不同意。"},
    )
    note = forms.CharField(label="审批意见", **NOTE)


class AppealResolveForm(LinliForm):
    outcome = forms.ChoiceField(
        label="办理结果",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择办理结果。", "invalid_choice": "请选择办理结果。"},
    )
    resolution = forms.CharField(
        label="办理情况", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "请填写办理情况。"}
    )
    resolution_visibility = forms.ChoiceField(
        label="办理情况谁能看到",
        choices=[(NOTE_PUBLIC, "向居民公开（反映人在查询页面能看到）"), (NOTE_INTERNAL, "内部（只有办理人员能看到）")],
        initial=NOTE_PUBLIC,
        required=False,  # not sent: 向居民公开, the default
        widget=forms.RadioSelect,
        help_text="办理情况默认向反映人公开；写有不宜告诉居民的内容时选“内部”，并在“向居民的说明”里另写。",
        error_messages={"required": "请选择办理情况谁能看到。", "invalid_choice": "请选择办理情况谁能看到。"},
    )
    explanation = forms.CharField(
        label="向居民的说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="办理结果为部分解决、无法解决或不属实时必填。",
    )
    photos = MultiplePhotoField(label="办结照片", help_text="可选，最多6张，单张不超过15MB（JPG、PNG、WebP）。")
    photos_public = forms.BooleanField(
        label="照片向反映人公开",
        required=False,
        help_text="不勾选时只有办理人员能看到。照片可能拍到住户家中，请确认后再公开。",
    )
    public_summary = forms.CharField(
        label="公开摘要",
        required=False,
        max_length=200,
        help_text="可选。" + PUBLIC_HELP,
        error_messages={"max_length": "公开摘要太长了，不超过200字。"},
    )
    public_reply = forms.CharField(
        label="公开答复",
        required=False,
        max_length=PUBLIC_REPLY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "如：已更换楼道灯泡，照明恢复正常。"}),
        help_text="可选，回访时社区还可以修改。" + PUBLIC_HELP,
        error_messages={"max_length": f"公开答复太长了，不超过{PUBLIC_REPLY_LIMIT}字。"},
    )


class AppealReplyForm(LinliForm):
    text = forms.CharField(
        label="回复居民的内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写回复居民的内容。"},
    )
    method = forms.ChoiceField(
        label="回访方式",
        choices=ReplyMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择回访方式。", "invalid_choice": "请选择回访方式。"},
    )
    rating = forms.ChoiceField(
        label="居民评价",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        initial=Rating.NONE,
        error_messages={"required": "请选择居民评价。", "invalid_choice": "评价的选项无效。"},
    )
    rating_note = forms.CharField(label="评价说明", required=False, max_length=200)
    public_reply = forms.CharField(
        label="公开答复",
        required=False,
        max_length=PUBLIC_REPLY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="已按办理情况去掉姓名、电话、门牌号后预填，请核对修改；留空则只公开办理结果。" + PUBLIC_HELP,
        error_messages={"max_length": f"公开答复太长了，不超过{PUBLIC_REPLY_LIMIT}字。"},
    )


class AppealPublicForm(LinliForm):
    """公开内容: the two texts the public reads, for a resolved or closed appeal (services.set_public_texts)."""

    public_summary = AppealResolveForm.base_fields["public_summary"]
    public_reply = forms.CharField(
        label="公开答复",
        required=False,
        max_length=PUBLIC_REPLY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=PUBLIC_HELP,
        error_messages={"max_length": f"公开答复太长了，不超过{PUBLIC_REPLY_LIMIT}字。"},
    )


class AppealReopenForm(LinliForm):
    note = forms.CharField(
        label="重办要求", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请写明重办要求。"}
    )


class AppealEscalateForm(LinliForm):
    note = forms.CharField(
        label="督办要求", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请写明督办要求。"}
    )


class AppealWithdrawForm(LinliForm):
    reason = forms.CharField(
        label="撤销原因", widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": "请填写撤销原因。"}
    )


class AppealMergeForm(LinliForm):
    """合并: this appeal is a duplicate of the one numbered `main` (services.merge_appeal)."""

    main = forms.CharField(
        label="并入的主诉求编号",
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "如 20261201-00012", "inputmode": "numeric"}),
        error_messages={"required": "请填写要并入的主诉求编号。", "max_length": "诉求编号不超过40个字符。"},
    )
    note = forms.CharField(label="说明", **NOTE)


class AppealUnmergeForm(LinliForm):
    reason = forms.CharField(
        label="取消合并的原因",
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "如：不是同一件事，是另一个单元的灯"}),
        error_messages={"required": "请填写取消合并的原因。"},
    )


class AppealEditForm(LinliForm):
    """修改 before dispatch: text, category, urgency, address (services.update_appeal)."""

    text = forms.CharField(
        label="诉求内容", widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "请填写诉求内容。"}
    )
    category = CategoryField(help_text=None)
    urgency = forms.ChoiceField(
        label="紧急程度",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择紧急程度。", "invalid_choice": "紧急程度的选项无效。"},
    )
    address = forms.CharField(label="地点", required=False, max_length=200)

    @classmethod
    def for_appeal(cls, appeal, **kwargs):
        initial = {
            "text": appeal.text,
            "category": appeal.category_id,
            "urgency": appeal.urgency,
            "address": appeal.address,
        }
        return cls(initial=initial, **kwargs)
