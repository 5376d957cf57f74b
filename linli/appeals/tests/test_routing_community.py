"""A community's own corrections count at once (before any retrain), only for that community; the nightly
retrain runs only after new corrections and never activates a version that measures worse."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from linli.appeals.routing import services as routing
from linli.appeals.routing.models import RoutingCorrection, RoutingModel
from linli.appeals.tests.conftest import new_appeal
from linli.appeals.tests.test_routing import ODD, shipped  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

COMPOUND_TEXT = "小区东门外人行道上的路灯不亮了"


def _other_unit(unit: str) -> str:
    return "urban_mgmt" if unit != "urban_mgmt" else "property"


def test_a_communitys_correction_takes_precedence_there_at_once(shipped, aw):  # noqa: F811
    e1 = aw.communities["e1"]
    model_unit = routing.suggest(COMPOUND_TEXT).unit
    chosen = _other_unit(model_unit)
    routing.record_correction(new_appeal(aw, text=COMPOUND_TEXT), model_unit, chosen)

    nudged = routing.suggest("小区东门外人行道的路灯不亮了！", community=e1)
    assert nudged.unit == chosen
    assert "本社区曾把相似的诉求改派给" in nudged.reason
    assert model_unit in [code for code, _ in nudged.alternatives]
    assert 0 < nudged.confidence <= 1
    # No retrain happened: the stored model still says what it said.
    assert RoutingModel.objects.count() == 1 and routing.suggest(COMPOUND_TEXT).unit == model_unit


def test_another_communitys_corrections_do_not_apply(shipped, aw):  # noqa: F811
    model_unit = routing.suggest(COMPOUND_TEXT).unit
    routing.record_correction(new_appeal(aw, text=COMPOUND_TEXT), model_unit, _other_unit(model_unit))
    assert routing.suggest(COMPOUND_TEXT, community=aw.communities["e2"]).unit == model_unit


def test_a_dissimilar_text_keeps_the_models_suggestion(shipped, aw):  # noqa: F811
    e1 = aw.communities["e1"]
    model_unit = routing.suggest(COMPOUND_TEXT).unit
    routing.record_correction(new_appeal(aw, text=COMPOUND_TEXT), model_unit, _other_unit(model_unit))
    plain = routing.suggest("停水了")
    assert routing.suggest("停水了", community=e1).unit == plain.unit
    assert routing.suggest("", community=e1).unit == routing.suggest("").unit


def test_the_newest_correction_wins_when_dispatchers_change_their_mind(shipped, aw):  # noqa: F811
    e1 = aw.communities["e1"]
    model_unit = routing.suggest(COMPOUND_TEXT).unit
    chosen = _other_unit(model_unit)
    appeal = new_appeal(aw, text=COMPOUND_TEXT)
    routing.record_correction(appeal, model_unit, chosen)
    assert routing.suggest(COMPOUND_TEXT, community=e1).unit == chosen
    routing.record_correction(appeal, chosen, model_unit)  # sent back to the model's unit after all
    assert routing.suggest(COMPOUND_TEXT, community=e1).unit == model_unit


def test_the_nightly_retrain_waits_for_new_corrections(shipped):  # noqa: F811
    from linli.appeals.tasks import route_train_nightly

    routing.train_version()
    assert "无需重新训练" in route_train_nightly()
    assert RoutingModel.objects.count() == 1

    before = routing.suggest(ODD).unit
    chosen = "police" if before != "police" else "fire"
    for _ in range(3):
        routing.record_correction(None, before, chosen, text=ODD)
    message = route_train_nightly()
    assert "已启用 v2" in message
    assert RoutingModel.objects.get(is_active=True).version == 2
    assert routing.suggest(ODD).unit == chosen


def test_a_retrain_that_measures_worse_is_stored_but_not_activated(shipped, monkeypatch):  # noqa: F811
    first = routing.train_version()
    RoutingModel.objects.filter(pk=first.pk).update(metrics={**first.metrics, "accuracy": 1.0})
    RoutingCorrection.objects.create(text=ODD, suggested="community", chosen="police")
    real_train = routing.train_version

    def worse(**kwargs):
        row = real_train(**kwargs)
        row.metrics = {**row.metrics, "accuracy": 0.5}
        row.save(update_fields=["metrics"])
        return row

    monkeypatch.setattr(routing, "train_version", worse)
    out = io.StringIO()
    call_command("route_train", "--if-needed", stdout=out)
    assert "未启用" in out.getvalue() and "--rollback 2" in out.getvalue()
    assert RoutingModel.objects.get(is_active=True).version == 1
    assert RoutingModel.objects.filter(version=2, is_active=False).exists()


def test_the_dispatchers_page_follows_the_communitys_correction(aw, login):
    """Uses the session-trained model (no `shipped` fixture): the real page, the real shipped wording."""
    text = "小区东门外人行道上的路灯不亮了，晚上走路看不见"
    first = new_appeal(aw, text=text)
    model_unit = routing.suggest(text).unit
    routing.record_correction(first, model_unit, aw.units[_other_unit(model_unit)])
    appeal = new_appeal(aw, text=text)
    html = login(aw.users["secretary"]).get(f"/appeals/{appeal.pk}/").content.decode()
    assert f"系统根据内容建议：{aw.units[_other_unit(model_unit)].name}" in html
    assert "本社区曾把相似的诉求改派给" in html
