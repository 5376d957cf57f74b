"""FastRenderer writes plain inputs in Python: the same markup as Django's templates, widget for widget."""

import datetime

from django import forms
from django.forms.renderers import DjangoTemplates

from linli.core.renderers import FastRenderer


class Sample(forms.Form):
    q = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": '编号 "或" <后几位>'}))
    n = forms.IntegerField(min_value=1)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    flag = forms.BooleanField(required=False)
    status = forms.MultipleChoiceField(
        required=False, choices=[("a", "待派单"), ("b", "办理中 & 回访")], widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(choices=[("x", "甲"), ("y", "<乙>")], widget=forms.RadioSelect)
    note = forms.CharField(required=False, widget=forms.Textarea)


def render_all(renderer, data):
    form = Sample(data, renderer=renderer)
    parts = [str(field) for field in form]
    parts += [box.tag() + str(box.choice_label) for box in form["status"]]  # as the queue page draws them
    parts += [str(box) for box in form["kind"]]
    return parts


def test_it_writes_the_same_markup_as_djangos_templates():
    for data in (
        None,
        {"q": 'a"b<c>', "n": "3", "day": datetime.date(2026, 12, 6), "secret": "s&t", "hidden": "h",
         "flag": "on", "status": ["b"], "kind": "y"},
        {"n": "x"},  # invalid: the bound value is drawn as given
    ):  # fmt: skip
        assert render_all(FastRenderer(), data) == render_all(DjangoTemplates(), data)
