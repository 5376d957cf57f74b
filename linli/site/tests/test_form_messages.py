"""Form messages name the field (“请填写姓名”, “积分不能小于0”) and empty choices read “请选择…”, in every form of
the project: none shows Django's “这个字段是必填项。” or a “---------” choice."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

import linli
from linli.core.forms import DASHES, FriendlyFormMixin, LinliForm

pytestmark = pytest.mark.django_db

DJANGO_REQUIRED = "这个字段是必填项"


class Sample(LinliForm):
    name = forms.CharField(label="姓名", max_length=5)
    points = forms.IntegerField(label="积分", min_value=0, max_value=100)
    kind = forms.ChoiceField(label="类别", choices=[("", DASHES), ("a", "甲")])
    who = forms.ModelChoiceField(label="社区", queryset=None)
    when = forms.DateField(label="日期")
    told = forms.CharField(label="说明", error_messages={"required": "请写明原因。"})

    def __init__(self, *args, **kwargs):
        from linli.areas.models import Community

        self.base_fields["who"].queryset = Community.objects.all()
        super().__init__(*args, **kwargs)


def errors(data) -> dict:
    form = Sample(data)
    form.is_valid()
    return {k: list(v) for k, v in form.errors.items()}


def test_required_messages_name_the_field():
    e = errors({})
    assert e["name"] == ["请填写姓名"]
    assert e["points"] == ["请填写积分"]
    assert e["kind"] == ["请选择类别"]
    assert e["who"] == ["请选择社区"]
    assert e["when"] == ["请填写日期"]
    assert e["told"] == ["请写明原因。"]  # a message set on purpose stays


def test_limits_and_bad_values_name_the_field():
    e = errors({"name": "一二三四五六", "points": "-1", "kind": "x", "when": "昨天"})
    assert e["name"] == ["姓名不能超过5个字（现在是6个）"]
    assert e["points"] == ["积分不能小于0"]
    assert e["kind"] == ["类别的选项无效，请重新选择"]
    assert e["when"] == ["日期请填写有效的日期，如 2025-06-01"]
    assert errors({"points": "101"})["points"] == ["积分不能大于100"]
    assert errors({"points": "abc"})["points"] == ["积分请填写数字"]


def test_empty_choices_read_please_choose():
    html = str(Sample())
    assert DASHES not in html
    assert "请选择…" in html


def form_classes():
    """Every form class defined in the project's forms modules."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("linli."):
            continue
        package = importlib.import_module(config.name)
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith("forms"):
                module = importlib.import_module(f"{config.name}.{info.name}")
                for _, obj in inspect.getmembers(module, inspect.isclass):
                    if issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
                        found.append(obj)
    return found


def test_every_form_of_the_project_uses_the_shared_messages():
    classes = form_classes()
    assert len(classes) > 50
    plain = [f"{c.__module__}.{c.__name__}" for c in classes if not issubclass(c, FriendlyFormMixin)]
    assert plain == []


def _instances(cls, user):
    """An unbound and a bound-empty instance, for forms whose constructor this can satisfy."""
    for kwargs in ({}, {"user": user}, {"community": None}, {"user": user, "community": None}):
        try:
            return cls(**kwargs), cls(data={}, **kwargs)
        except TypeError:
            continue
        except Exception:  # noqa: BLE001 - a form that needs more context than a sweep can give
            return None
    return None


def test_no_form_shows_django_defaults_or_dashes(world):
    user = world.users["street_admin"]
    tried, seen = [], []
    for cls in form_classes():
        pair = _instances(cls, user)
        if pair is None:
            continue
        tried.append(cls.__name__)
        unbound, bound = pair
        bound.is_valid()
        html = str(unbound) + str(bound)
        if DASHES in html or DJANGO_REQUIRED in html:
            seen.append(cls.__name__)
    assert len(tried) > 40, tried
    assert seen == []


def simple_urls(resolver=None, prefix=""):
    """The project's page URLs that take no argument (the list and form pages)."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            if route.startswith("api/") or "<" in route:
                continue
            yield from simple_urls(p, prefix + route)
        elif isinstance(p, URLPattern) and "<" not in route and p.callback.__module__.startswith("linli."):
            yield "/" + prefix + route


@pytest.mark.parametrize("persona", ["street_admin", "secretary", "grid_worker_1"])
def test_no_page_shows_a_dashed_empty_choice(world, client, persona):
    client.force_login(world.users[persona])
    shown = []
    for url in simple_urls():
        if any(part in url for part in ("logout", "export", "template", "unlock")):
            continue
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            content = response.content.decode()
            shown.append(url)
            assert DASHES not in content, url
            assert DJANGO_REQUIRED not in content, url
    assert len(shown) > 20
    assert linli
