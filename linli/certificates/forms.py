"""Forms of 社区证明: issuing (template, purpose, 核实说明), voiding and reissuing, and a template's wording."""

from __future__ import annotations

from django import forms

from linli.areas.scope import managed_communities
from linli.certificates.models import CertificateTemplate
from linli.core.forms import LinliForm, LinliModelForm


class CertificateIssueForm(LinliForm):
    """开具证明 for one resident: the templates of the resident's community and street in use."""

    template = forms.ModelChoiceField(
        label="证明类型",
        queryset=CertificateTemplate.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "找不到这个模板，或它不适用于该居民所在的社区。"},
    )
    purpose = forms.CharField(label="用途", max_length=100, help_text="如“办理入学手续”“申请公租房”。")
    note = forms.CharField(
        label="核实说明",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="困难情况证明须写明核实经过：何时入户、核实了哪些材料。",
    )

    def __init__(self, *args, user, resident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = (
            CertificateTemplate.objects.restrict(user).active().for_community(resident.community).order_by("kind", "id")
        )


class CertificateVoidForm(LinliForm):
    reason = forms.CharField(label="作废原因", max_length=150, help_text="如“信息有误”“居民遗失后申请作废”。")


class CertificateReissueForm(LinliForm):
    reason = forms.CharField(label="重开原因", max_length=150, help_text="原证明将作废，新证明取下一个编号。")
    purpose = forms.CharField(label="用途", max_length=100)


class CertificateTemplateForm(LinliModelForm):
    """A template: its community (empty: the street's default, for the street office only) and its wording."""

    class Meta:
        model = CertificateTemplate
        fields = [
            "community", "kind", "title", "body", "default_purpose", "reveals_id", "needs_note", "valid_days",
            "is_active",
        ]  # fmt: skip
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        # The page lists the fields beside the form (可用字段), each as code; the model's help text says it in one line.
        help_texts = {"body": "居民的信息按“可用字段”里的写法填入（连同两边的花括号），开具时换成这位居民的登记信息。"}

    def __init__(self, *args, user, street_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        field.queryset = managed_communities(user, "certificate.manage").order_by("code")
        field.required = not street_wide
        field.empty_label = "全街道通用" if street_wide else None
        field.error_messages["invalid_choice"] = "找不到这个社区，或不在您的管辖范围内。"
