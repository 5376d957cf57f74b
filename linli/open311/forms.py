from django import forms

from linli.core.forms import LinliForm
from linli.open311 import services


class ApiKeyForm(LinliForm):
    """A new Open311 key: its name, where it may create requests, and whether it is the 12345 system."""

    name = forms.CharField(label="名称", max_length=64, help_text="对方系统的名称，如“12345热线平台”“街道数据看板”")
    scope = forms.ChoiceField(label="适用范围", help_text="密钥只能为这里选的社区（或街道里的社区）提交诉求。")
    hotline = forms.BooleanField(
        label="这是12345热线系统", required=False, help_text="勾选后，提交的诉求来源记为“12345转办”，否则为“接口”。"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.streets = {str(s.pk): s for s in services.key_streets(user)}
        self.communities = {str(c.pk): c for c in services.key_communities(user)}
        choices = []
        if self.streets:
            choices.append(
                ("街道（jurisdiction_id 填社区编码）", [(f"s{k}", f"{s.name}全街道") for k, s in self.streets.items()])
            )
        choices.append(("社区", [(f"c{k}", f"{c.name}（{c.code}）") for k, c in self.communities.items()]))
        self.fields["scope"].choices = choices

    def scope_kwargs(self) -> dict:
        value = self.cleaned_data["scope"]
        if value.startswith("s"):
            return {"street": self.streets[value[1:]]}
        return {"community": self.communities[value[1:]]}
