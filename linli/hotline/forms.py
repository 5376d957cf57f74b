from django import forms

from linli.areas.forms import CommunityFileForm
from linli.areas.models import Community
from linli.core.forms import LinliForm


class HotlineUploadForm(CommunityFileForm):
    """A 12345 sheet to import into a community of the user's scope (linli.areas.forms.CommunityFileForm)."""

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
