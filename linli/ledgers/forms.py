from django import forms

from linli.areas.models import Community
from linli.core.forms import LinliForm

ALLOWED_SUFFIXES = (".xlsx", ".xls", ".csv")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportUploadForm(LinliForm):
    community = forms.ModelChoiceField(label="导入到社区", queryset=Community.objects.none())
    file = forms.FileField(label="台账文件", help_text="Excel（.xlsx / .xls）或 CSV，最大 50 MB。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.restrict(user)
        if self.fields["community"].queryset.count() == 1:
            self.initial.setdefault("community", self.fields["community"].queryset.first())

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError("只能导入 .xlsx、.xls 或 .csv 文件。")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件太大（超过 50 MB），请分成几个文件导入。")
        if upload.size == 0:
            raise forms.ValidationError("文件是空的。")
        return upload


class MappingForm(LinliForm):
    """One drop-down per column of the file: which registry field it holds (or 不导入)."""

    def __init__(self, *args, headers, fields, initial_mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "（不导入）"), *[(key, f.label) for key, f in fields.items()]]
        self.columns = []
        for index, header in enumerate(headers):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header or f"第{index + 1}列",
                choices=choices,
                required=False,
                initial=initial_mapping.get(index, ""),
            )
            self.columns.append(name)
        self.required_fields = {key: f.label for key, f in fields.items() if f.required}

    def clean(self):
        data = super().clean()
        chosen = [data.get(name) for name in self.columns if data.get(name)]
        for key in set(chosen):
            if chosen.count(key) > 1:
                raise forms.ValidationError(
                    f"“{dict(self.fields[self.columns[0]].choices)[key]}”对应了多列，请只选一列。"
                )
        missing = [label for key, label in self.required_fields.items() if key not in chosen]
        if missing:
            raise forms.ValidationError(f"必须指定这些列：{'、'.join(missing)}。")
        return data

    def mapping(self) -> dict[int, str]:
        return {i: self.cleaned_data[name] for i, name in enumerate(self.columns) if self.cleaned_data.get(name)}
