"""The resident's forms: every message in plain Chinese, every rule checked here before anything is written."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from linli.appeals.choices import Rating
from linli.appeals.services import MAX_TEXT, RESIDENT_RATINGS
from linli.areas.models import Building
from linli.attachments.forms import MultiplePhotoField
from linli.attachments.services import prepare_photos
from linli.core.forms import LinliForm
from linli.core.phone import PhoneError, normalize_phone
from linli.tracking import codes
from linli.tracking.otp import OTP_DIGITS
from linli.tracking.services import MAX_PHOTOS

TEXT_HELP = "想怎么说就怎么写。不方便打字，可以点输入法上的话筒，说出来会自动变成文字。"


class AppealStartForm(LinliForm):
    """Step 1: what, where, and an optional photo."""

    text = forms.CharField(
        label="您要反映什么事？",
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "比如：3栋2单元楼道灯坏了一个星期，晚上看不见。"}),
        help_text=TEXT_HELP,
    )
    photos = MultiplePhotoField(label="拍张照片（可以不拍）")
    building = forms.ModelChoiceField(
        label="在哪一栋楼？",
        queryset=Building.objects.none(),
        required=False,
        empty_label="不在楼里 / 不清楚",
    )
    room = forms.CharField(
        label="几单元几号（可以不填）",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "比如：2单元502", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label="不在楼里的话，写下在哪儿",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "比如：小区东门口、3栋楼下停车棚"}),
    )
    name = forms.CharField(
        label="怎么称呼您（可以不填）",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "比如：陈阿姨", "autocomplete": "name"}),
    )
    no_sms = forms.BooleanField(
        label="不需要短信通知",
        required=False,
        help_text="不勾选时，我们会把查询码和社区的答复用短信发到您验证的手机上。",
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(community=community).order_by("number")
        self.fields["building"].error_messages["invalid_choice"] = "请从列表里选择楼栋。"
        for name in ("room", "address", "name"):
            self.fields[name].error_messages["max_length"] = "写得太长了，请写短一点（不超过%(limit_value)d个字）。"
        self.prepared_photos = None

    def clean_text(self):
        text = self.cleaned_data.get("text") or ""
        if not text:
            raise ValidationError("请写下您要反映的事情。")
        if len(text) > MAX_TEXT:
            raise ValidationError(f"内容太长了（{len(text)}个字），请写短一点，不超过{MAX_TEXT}个字。")
        return text

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if len(files) > MAX_PHOTOS:
            raise ValidationError(f"最多拍{MAX_PHOTOS}张照片。")
        self.prepared_photos = prepare_photos(files)  # raises ValidationError naming the bad photo
        return files

    def clean(self):
        data = super().clean()
        if not data.get("building") and not data.get("address") and "building" not in self.errors:
            self.add_error("building", "请选择是哪一栋楼，或者在下面写下在哪儿。")
        return data


class PhoneForm(LinliForm):
    phone = forms.CharField(
        label="您的手机号",
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "11位手机号"}),
        error_messages={"required": "请填写手机号码。", "max_length": "手机号码格式不正确，应为11位，以1开头。"},
    )

    def clean_phone(self):
        try:
            phone = normalize_phone(self.cleaned_data["phone"])
        except PhoneError:
            phone = "-"
        if not phone or "-" in phone:  # landlines cannot receive a text message
            raise ValidationError("请填写11位手机号码，验证码会用短信发到这个手机上。")
        return phone


class CodeForm(LinliForm):
    code = forms.CharField(
        label="短信验证码",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "placeholder": f"{OTP_DIGITS}位数字",
                "pattern": "[0-9 ]*",
            }
        ),
        error_messages={"required": "请填写短信里的6位数字验证码。", "max_length": "请填写短信里的6位数字验证码。"},
    )


class TrackCodeForm(LinliForm):
    code = forms.CharField(
        label="查询码",
        max_length=30,
        widget=forms.TextInput(
            attrs={"placeholder": "比如：ABCD-2345", "autocomplete": "off", "autocapitalize": "characters"}
        ),
        error_messages={"required": "请填写查询码。", "max_length": "查询码不对，请核对后再输入。"},
    )

    def clean_code(self):
        code = codes.clean(self.cleaned_data["code"])
        if code is None:
            # The same words as for a well-formed unknown code: nothing tells a guesser which codes exist.
            raise ValidationError("查询码不对，请核对后再输入。")
        return code


class RateForm(LinliForm):
    rating = forms.ChoiceField(
        label="您对办理结果满意吗？",
        choices=[(r.value, r.label) for r in Rating if r in RESIDENT_RATINGS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择满意、基本满意或不满意。",
            "invalid_choice": "请选择满意、基本满意或不满意。",
        },
    )
    note = forms.CharField(
        label="还想说点什么（可以不填）",
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "写得太长了，请不超过200个字。"},
    )
