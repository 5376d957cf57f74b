"""The Chinese words for codes, wherever a stored code reaches a page (change history, export log).

Codes are kept in the database (status "pending_dispatch", activity type "elderly_visit"); a person reads
their labels. Every app's choices.py (and the change log's own choices) contribute their TextChoices; every
app's filtersets.py contributes the labels of its filter names. Collected once, by walking the installed
apps, so that core names no feature app.
"""

from __future__ import annotations

import functools
import importlib
import inspect

from django.apps import apps
from django.db import models
from django.utils.module_loading import module_has_submodule


def _modules(submodule: str):
    for config in apps.get_app_configs():
        if config.name.startswith("linli.") and module_has_submodule(config.module, submodule):
            yield importlib.import_module(f"{config.name}.{submodule}")


def choice_classes() -> list[type[models.TextChoices]]:
    """Every TextChoices of the project: those of the apps' choices.py modules and of linli.core.models."""
    found = []
    modules = [importlib.import_module("linli.core.models"), *_modules("choices")]
    for module in modules:
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, models.TextChoices) and obj is not models.TextChoices and obj not in found:
                found.append(obj)
    return found


@functools.cache
def code_labels() -> dict[str, str]:
    """code → label over every TextChoices (the first definition wins where two share a code)."""
    labels: dict[str, str] = {}
    for cls in choice_classes():
        for value, label in cls.choices:
            if isinstance(value, str) and value:
                labels.setdefault(value, str(label))
    return labels


@functools.cache
def filter_labels() -> dict[str, str]:
    """filter name → label over every FilterSet of the apps' filtersets.py modules."""
    import django_filters

    labels: dict[str, str] = {}
    for module in _modules("filtersets"):
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, django_filters.FilterSet) and obj is not django_filters.FilterSet:
                for name, flt in obj.base_filters.items():
                    if flt.label:
                        labels.setdefault(name, str(flt.label))
    return labels


def label_of(value, choices: dict | None = None):
    """A stored value as a person reads it: a code becomes its label (from `choices` first), lists item by item;
    anything else is returned as it is."""
    if isinstance(value, list):
        return [label_of(v, choices) for v in value]
    if isinstance(value, str):
        if choices and value in choices:
            return str(choices[value])
        return code_labels().get(value, value)
    return value


#: what commands wrote as the actor of older change records, in the words shown for them now
COMMAND_LABELS = {
    "linli demo": "演示数据",
    "linli open311-key": "Open311接口密钥命令",
    "test setup": "测试数据",
}


def command_label(label: str) -> str:
    return COMMAND_LABELS.get(label, label)
