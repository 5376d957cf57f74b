from django import forms

from linli.areas.models import Community
from linli.core.forms import ImportFileForm


class ImportUploadForm(ImportFileForm):
    """A ledger to import (linli.core.forms.ImportFileForm) into a community of the user's scope."""

    community = forms.ModelChoiceField(label="导入到社区", queryset=Community.objects.none())
    field_order = ["community", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "台账文件"
        self.fields["community"].queryset = Community.objects.restrict(user)
        if self.fields["community"].queryset.count() == 1:
            self.initial.setdefault("community", self.fields["community"].queryset.first())
