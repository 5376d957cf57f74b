"""Learning per community and street (issue 21): a community's own corrections decide for it once there are
enough of them, a street's when two or more of its communities agree, nobody else's; the nightly retrain runs only
after new corrections and a retrained version that is worse on the check set is refused, with a report."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from linli.appeals.routing import learning
from linli.appeals.routing import services as routing
from linli.appeals.routing.models import RoutingCorrection, RoutingModel
from linli.appeals.tests.conftest import new_appeal
from linli.appeals.tests.test_routing import ODD, _examples, shipped  # noqa: F401  (fixture)
from linli.areas.models import Community
from linli.core.models import ChangeRecord

pytestmark = pytest.mark.django_db

LIFT = "电梯坏了"
LIFT_WORDINGS = ["电梯坏了", "电梯又坏了", "电梯坏了，快来修", "3号楼电梯坏了", "电梯坏了好几天"]


def _other_unit(unit: str) -> str:
    return "urban_mgmt" if unit != "urban_mgmt" else "property"


def _correct(community, n: int, chosen: str, texts=LIFT_WORDINGS):
    for i in range(n):
        routing.record_correction(
            None, routing.suggest(LIFT).unit, chosen, text=texts[i % len(texts)], community=community
        )


def test_a_communitys_corrections_decide_there_once_the_minimum_is_reached(shipped, aw, settings):  # noqa: F811
    settings.LINLI_ROUTING_LOCAL_MIN_CORRECTIONS = 3
    e1, e2, w1 = aw.communities["e1"], aw.communities["e2"], aw.communities["w1"]
    model_unit = routing.suggest(LIFT).unit
    chosen = _other_unit(model_unit)

    _correct(e1, 2, chosen)
    assert routing.suggest(LIFT, community=e1).unit == model_unit  # two are not a rule yet

    _correct(e1, 1, chosen)
    local = routing.suggest(LIFT, community=e1)
    assert local.unit == chosen
    assert local.reason.startswith("本社区以往派给") and "3次相似诉求" in local.reason
    assert model_unit in [code for code, _ in local.alternatives]
    assert not local.needs_review
    # Nobody else: another community of the same street, another street, no community.
    for other in (e2, w1, None):
        assert routing.suggest(LIFT, community=other).unit == model_unit
    assert [s.unit for s in routing.suggest_many([(LIFT, e1), (LIFT, e2)])] == [chosen, model_unit]
    assert RoutingModel.objects.count() == 1  # no retrain happened


def test_the_minimum_is_a_setting(shipped, aw, settings):  # noqa: F811
    e1 = aw.communities["e1"]
    chosen = _other_unit(routing.suggest(LIFT).unit)
    _correct(e1, 3, chosen)
    settings.LINLI_ROUTING_LOCAL_MIN_CORRECTIONS = 4
    assert routing.suggest(LIFT, community=e1).unit != chosen
    settings.LINLI_ROUTING_LOCAL_MIN_CORRECTIONS = 1
    assert routing.suggest(LIFT, community=e1).unit == chosen


def test_a_dissimilar_text_keeps_the_models_suggestion(shipped, aw, settings):  # noqa: F811
    settings.LINLI_ROUTING_LOCAL_MIN_CORRECTIONS = 3
    e1 = aw.communities["e1"]
    _correct(e1, 3, _other_unit(routing.suggest(LIFT).unit))
    assert routing.suggest("停水了", community=e1).unit == routing.suggest("停水了").unit
    assert routing.suggest("", community=e1).unit == routing.suggest("").unit


def test_the_majority_of_similar_corrections_decides(shipped, aw, settings):  # noqa: F811
    settings.LINLI_ROUTING_LOCAL_MIN_CORRECTIONS = 3
    e1 = aw.communities["e1"]
    model_unit = routing.suggest(LIFT).unit
    chosen = _other_unit(model_unit)
    _correct(e1, 3, chosen)
    assert routing.suggest(LIFT, community=e1).unit == chosen
    # Dispatchers sent it back to the model's unit three times: no majority any more, the model decides.
    for _ in range(3):
        routing.record_correction(None, chosen, model_unit, text=LIFT, community=e1)
    assert routing.suggest(LIFT, community=e1).unit == model_unit


def test_a_streets_rule_needs_two_of_its_communities(shipped, aw, settings):  # noqa: F811
    settings.LINLI_ROUTING_LOCAL_MIN_CORRECTIONS = 4
    e1, e2, w1 = aw.communities["e1"], aw.communities["e2"], aw.communities["w1"]
    e3 = Community.objects.create(street=e1.street, code="e3", name="东三社区")
    model_unit = routing.suggest(LIFT).unit
    chosen = _other_unit(model_unit)
    _correct(e1, 3, chosen)
    assert routing.suggest(LIFT, community=e3).unit == model_unit  # one community's habit stays its own
    _correct(e2, 2, chosen)
    street = routing.suggest(LIFT, community=e3)
    assert street.unit == chosen and street.reason.startswith("本街道以往派给")
    assert routing.suggest(LIFT, community=w1).unit == model_unit


def test_the_dispatchers_page_follows_the_communitys_rule(aw, login, settings):
    """Uses the session-trained model (no `shipped` fixture): the real page, the real shipped wording."""
    settings.LINLI_ROUTING_LOCAL_MIN_CORRECTIONS = 2
    text = "小区东门外人行道上的路灯不亮了，晚上走路看不见"
    model_unit = routing.suggest(text).unit
    for _ in range(2):
        routing.record_correction(new_appeal(aw, text=text), model_unit, aw.units[_other_unit(model_unit)])
    appeal = new_appeal(aw, text=text)
    html = login(aw.users["secretary"]).get(f"/appeals/{appeal.pk}/").content.decode()
    assert f"系统根据内容建议：{aw.units[_other_unit(model_unit)].name}" in html
    assert "本社区以往派给" in html


# --- retraining: the nightly job, the guard and the report ---------------------------------------------------


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


def test_a_batch_of_wrong_corrections_cannot_make_the_active_model_worse(shipped):  # noqa: F811
    first = routing.train_version()
    # Every property phrase corrected to police, as a careless or malicious dispatcher might.
    wrong = [e.text for e in _examples(1, seed=3) if e.unit == "property"]
    RoutingCorrection.objects.bulk_create(
        RoutingCorrection(text=text, suggested="property", chosen="police") for text in wrong
    )
    out = io.StringIO()
    call_command("route_train", "--if-needed", stdout=out)

    assert RoutingModel.objects.get(is_active=True).version == first.version
    refused = RoutingModel.objects.get(version=first.version + 1)
    report = refused.metrics["report"]
    assert not refused.is_active and report["decision"] == "refused" and not report["ok"]
    assert report["after"] < report["before"]
    assert "未启用，仍用原版本" in report["reason"] and "物业服务企业由" in report["reason"]
    assert "未启用" in out.getvalue() and f"--rollback {refused.version}" in out.getvalue()
    property_row = next(u for u in report["units"] if u["unit"] == "property")
    assert property_row["after"] < property_row["before"]
    record = ChangeRecord.objects.get(object_id=refused.pk, content_type__model="routingmodel")
    assert record.note == report["reason"][:200] and record.actor_label == "linli route-train"
    # The active model still answers as before.
    assert routing.suggest("小区楼道灯坏了").unit == routing.get_router(refresh=True).suggest("小区楼道灯坏了").unit
    assert routing._cache["version"] == first.version


def test_the_report_says_what_the_retraining_changed(shipped):  # noqa: F811
    first = routing.train_version()
    assert first.metrics["report"]["previous_version"] is None and first.is_active
    RoutingCorrection.objects.create(text=ODD, suggested="community", chosen="police")
    out = io.StringIO()
    call_command("route_train", stdout=out)
    second = RoutingModel.objects.get(version=first.version + 1)
    report = second.metrics["report"]
    assert f"核对集 {report['n']} 条：v{first.version}" in out.getvalue() and "并已启用" in out.getvalue()
    assert second.is_active and report["decision"] == "activated" and report["ok"]
    assert report["previous_version"] == first.version
    expected = {name: len(ex) for name, ex in learning.check_examples().items()}
    assert {s["name"]: s["n"] for s in report["sets"]} == expected and report["n"] == sum(expected.values())
    assert "heldout.jsonl" in expected
    for row in report["sets"]:
        assert 0 <= row["before"] <= 1 and 0 <= row["after"] <= 1
    assert all(u["before"] != u["after"] for u in report["units"])
    assert report["reason"].startswith("核对集准确率")


def test_a_tolerance_of_one_allows_what_the_guard_would_refuse(shipped, settings):  # noqa: F811
    settings.LINLI_ROUTING_RETRAIN_TOLERANCE = 1.0
    settings.LINLI_ROUTING_RETRAIN_UNIT_TOLERANCE = 1.0
    routing.train_version()
    wrong = [e.text for e in _examples(1, seed=3) if e.unit == "property"]
    RoutingCorrection.objects.bulk_create(
        RoutingCorrection(text=t, suggested="property", chosen="police") for t in wrong
    )
    assert routing.train_version().is_active


def test_a_refused_version_can_be_activated_by_hand(shipped, monkeypatch):  # noqa: F811
    routing.train_version()
    monkeypatch.setattr(learning, "tolerances", lambda: (-1.0, 1.0))  # every retrain measures "worse"
    RoutingCorrection.objects.create(text=ODD, suggested="community", chosen="police")
    refused = routing.train_version()
    assert not refused.is_active and refused.metrics["report"]["decision"] == "refused"
    out = io.StringIO()
    call_command("route_train", "--rollback", str(refused.version), stdout=out)
    assert RoutingModel.objects.get(is_active=True).version == refused.version
    assert ChangeRecord.objects.filter(object_id=refused.pk, note=f"启用 v{refused.version}").exists()


def test_the_setup_page_shows_the_last_retraining_and_the_communitys_corrections(shipped, aw, login):  # noqa: F811
    from django.urls import reverse

    routing.train_version()
    routing.record_correction(None, "property", "police", text="小区门口有人打架", community=aw.communities["e1"])
    routing.record_correction(None, "property", "water", text="别的社区的纠正", community=aw.communities["e2"])
    second = routing.train_version()
    report = second.metrics["report"]
    body = login(aw.users["secretary"]).get(reverse("appeals:unit_setup")).content.decode()
    assert "智能分派模型" in body and f"最近一次训练：v{second.version}" in body
    assert report["reason"] in body and "核对集准确率" in body and "heldout.jsonl" in body
    for unit in report["units"]:
        assert unit["name"] in body
    assert "本社区的分派纠正（共 1 条）" in body and "小区门口有人打架" in body and "别的社区的纠正" not in body
    assert "物业服务企业 → " in body


def test_a_communitys_own_rule_stays_out_of_the_shared_retrain(shipped, aw, settings):  # noqa: F811
    settings.LINLI_ROUTING_LOCAL_MIN_CORRECTIONS = 3
    e1, e2 = aw.communities["e1"], aw.communities["e2"]
    routing.train_version()
    model_unit = routing.suggest(LIFT).unit
    chosen = _other_unit(model_unit)
    _correct(e1, 5, chosen)
    routing.record_correction(None, model_unit, "police", text=ODD, community=e2)  # a lone one: shared
    row = routing.train_version()
    assert row.is_active and row.trained_on["corrections"] == 1 and row.trained_on["local_only"] == 5
    assert routing.suggest(LIFT, community=e2).unit == model_unit  # the retrain did not carry e1's rule over
    assert routing.suggest(LIFT, community=e1).unit == chosen  # e1's rule still serves e1


def test_a_rule_two_communities_share_is_learnt_by_the_shared_model(shipped, aw, settings):  # noqa: F811
    settings.LINLI_ROUTING_LOCAL_MIN_CORRECTIONS = 3
    routing.train_version()
    chosen = _other_unit(routing.suggest(LIFT).unit)
    _correct(aw.communities["e1"], 3, chosen)
    _correct(aw.communities["w1"], 1, chosen)
    row = routing.train_version()
    assert row.trained_on["corrections"] == 4 and row.trained_on["local_only"] == 0
