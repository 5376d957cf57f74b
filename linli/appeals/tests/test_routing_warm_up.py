"""The server's warm-up (linli.wsgi.warm_up) loads the active routing model once, and never trains one; the
resident's empty first form needs no model at all."""

from __future__ import annotations

import sys

import pytest

from linli.appeals.routing import services as routing
from linli.appeals.routing.models import RoutingModel

pytestmark = pytest.mark.django_db


def test_it_loads_the_active_model_into_the_process(_shipped_router):
    RoutingModel.objects.create(version=7, algorithm="test", is_active=True, artifact=_shipped_router.dumps())
    routing._forget()
    routing.warm_up()
    assert routing._cache["version"] == 7 and routing._cache["router"] is not None


def test_it_trains_nothing_when_no_model_is_active():
    routing._forget()
    routing.warm_up()
    assert routing._cache["router"] is None and not RoutingModel.objects.exists()


def test_the_residents_empty_form_needs_no_routing_model(monkeypatch):
    from linli.tracking.services import hint_unit

    monkeypatch.setitem(sys.modules, "linli.appeals.routing.services", None)  # importing it now raises
    assert hint_unit("") == "" and hint_unit("  灯 ") == ""
    with pytest.raises(ImportError):
        hint_unit("楼道灯坏了，晚上看不见")
