"""Forms of the channel pages: a WeChat group, and a community's sending rules."""

from __future__ import annotations

from django import forms

from linli.areas.models import Building, Community, Grid
from linli.channels.models import ChannelSettings
from linli.core.forms import LinliForm, LinliModelForm


class WechatGroupForm(LinliForm):
    """The webhook is a secret: never put back into the form (on edit, empty keeps the registered one)."""

    community = forms.ModelChoiceField(label="社区", queryset=Community.objects.none())
    name = forms.CharField(label="群名称", max_length=60, help_text="如“青和居3栋居民群”。")
    webhook_url = forms.CharField(
        label="群机器人Webhook地址",
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=(
            "在企业微信群里：群设置 → 群机器人 → 添加机器人，复制以 "
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key= 开头的地址。"
        ),
    )
    grid = forms.ModelChoiceField(label="绑定网格", queryset=Grid.objects.none(), required=False)
    building = forms.ModelChoiceField(label="绑定楼栋", queryset=Building.objects.none(), required=False)

    def __init__(self, *args, communities, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["grid"].queryset = Grid.objects.filter(community__in=communities).select_related("community")
        self.fields["building"].queryset = Building.objects.filter(community__in=communities).order_by(
            "community_id", "number"
        )
        self.fields["grid"].help_text = "不选网格和楼栋：整个社区的群（全社区的通知发到这里）。"
        self.fields["grid"].empty_label = self.fields["building"].empty_label = "不绑定"
        if editing:
            self.fields["webhook_url"].help_text = "不修改请留空；机器人换了才需要填写新地址。"
        only = list(communities[:2])
        if len(only) == 1:
            self.fields["community"].initial = only[0].pk


class ChannelSettingsForm(LinliModelForm):
    class Meta:
        model = ChannelSettings
        fields = ["quiet_from", "quiet_until", "sms_per_minute", "wechat_per_minute"]
        widgets = {
            "quiet_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "quiet_from": "这段时间内不发任何消息，排队的消息等到结束时间再发。",
            "sms_per_minute": "短信服务商的频率限制以内；一万条短信按每分钟300条约需34分钟。",
        }
