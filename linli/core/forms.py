"""Form helpers shared by every app: service errors onto forms, and messages that name the field."""

from __future__ import annotations

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.utils.choices import CallableChoiceIterator

from linli.core.params import parse_id

#: what an empty choice reads, instead of Django's "---------"
EMPTY_CHOICE = "请选择…"
DASHES = "---------"


def attach_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form: on the field it names, else on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multi-select of rows by id that refuses ids no database key can be ('²', 10**30) as an invalid choice.

    Django's own field looks such values up with `pk__in`, which SQLite answers with an OverflowError (a 500).
    """

    def _check_values(self, value):
        if self.to_field_name in (None, "pk", "id"):
            for pk in value if isinstance(value, (list, tuple, set, frozenset)) else ():
                if parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super()._check_values(value)


def _is_default(field: forms.Field, key: str) -> bool:
    """The field still carries Django's own message for `key` (not one the form or model gave it)."""
    current = field.error_messages.get(key)
    if current is None:
        return True
    for klass in type(field).__mro__:
        default = getattr(klass, "default_error_messages", {}).get(key)
        if default is not None and str(default) == str(current):
            return True
    return False


def _limit(field: forms.Field, kind: type):
    for v in field.validators:
        if isinstance(v, kind):
            return v.limit_value
    return None


def _choosing(field: forms.Field) -> bool:
    return isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.FileField)) or isinstance(
        field.widget, (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple)
    )


def friendly_field(name: str, field: forms.Field) -> None:
    """Messages that name the field (“请填写姓名”, “积分不能小于0”) and empty choices that read “请选择…”.

    Only Django's defaults are replaced: a message a form or model set on purpose stays.
    """
    label = str(field.label) if field.label else pretty_name(name)
    if not label.isascii():
        label = label.rstrip("：:")
    else:
        label = "此项"
    messages = {}
    if _is_default(field, "required"):
        if isinstance(field, forms.FileField):
            messages["required"] = f"请上传{label}"
        elif _choosing(field) or isinstance(field, forms.BooleanField):
            messages["required"] = f"请选择{label}"
        else:
            messages["required"] = f"请填写{label}"
    low, high = _limit(field, validators.MinValueValidator), _limit(field, validators.MaxValueValidator)
    if low is not None and _is_default(field, "min_value"):
        messages["min_value"] = f"{label}不能小于{low}"
    if high is not None and _is_default(field, "max_value"):
        messages["max_value"] = f"{label}不能大于{high}"
    longest = _limit(field, validators.MaxLengthValidator)
    if longest is not None and _is_default(field, "max_length"):
        messages["max_length"] = f"{label}不能超过{longest}个字（现在是%(show_value)d个）"
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)) and _is_default(field, "invalid"):
        messages["invalid"] = f"{label}请填写数字"
    if isinstance(field, forms.DateField) and _is_default(field, "invalid"):
        messages["invalid"] = f"{label}请填写有效的日期，如 2025-06-01"
    if _choosing(field) and _is_default(field, "invalid_choice"):
        messages["invalid_choice"] = f"{label}的选项无效，请重新选择"
    field.error_messages = {**field.error_messages, **messages}
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DASHES:
            field.empty_label = EMPTY_CHOICE
    elif isinstance(field, forms.ChoiceField) and not isinstance(field.choices, CallableChoiceIterator):
        choices = list(field.choices)
        if any(label == DASHES for _, label in choices):
            field.choices = [(value, EMPTY_CHOICE if text == DASHES else text) for value, text in choices]


def friendly_messages(form) -> None:
    for name, field in form.fields.items():
        friendly_field(name, field)


class FriendlyFormMixin:
    """Mixed into the project's forms (LinliForm, LinliModelForm): see friendly_field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        friendly_messages(self)


class LinliForm(FriendlyFormMixin, forms.Form):
    pass


class LinliModelForm(FriendlyFormMixin, forms.ModelForm):
    pass


class ImportFileForm(LinliForm):
    """The upload of an import (linli.core.jobs): a spreadsheet within the size limit. An app's form adds where
    the rows go (its community) and names the file (`file` label and help text)."""

    ALLOWED_SUFFIXES = (".xlsx", ".xls", ".csv")
    MAX_UPLOAD_BYTES = 50 * 1024 * 1024

    file = forms.FileField(label="文件", help_text="Excel（.xlsx / .xls）或 CSV，最大 50 MB。")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(self.ALLOWED_SUFFIXES):
            raise forms.ValidationError("只能导入 .xlsx、.xls 或 .csv 文件。")
        if upload.size > self.MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件太大（超过 50 MB），请分成几个文件导入。")
        if upload.size == 0:
            raise forms.ValidationError("文件是空的。")
        return upload


class MappingForm(LinliForm):
    """One drop-down per column of an import's file: which field it holds (or 不导入).

    `fields` is the importer's {key: field with .label and .required}; `initial_mapping` {column index: key}.
    """

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
