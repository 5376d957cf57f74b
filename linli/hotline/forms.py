from django import forms

from linli.areas.models import Community
from linli.core.forms import LinliForm
from linli.ledgers.forms import ImportUploadForm


class HotlineUploadForm(ImportUploadForm):
    """The ledger upload form (community from the user's scope, .xlsx/.xls/.csv, size limit) for a hotline sheet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "12345工单文件"
        self.fields["file"].help_text = "从12345热线系统导出的 Excel（.xlsx / .xls）或 CSV。"


class HotlineExportForm(LinliForm):
    community = forms.ModelChoiceField(label="社区", queryset=Community.objects.none())
    since = forms.DateField(label="办结时间起", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    only_new = forms.BooleanField(label="只导出还没导出过的工单", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.restrict(user)
        if self.fields["community"].queryset.count() == 1:
            self.initial.setdefault("community", self.fields["community"].queryset.first())
