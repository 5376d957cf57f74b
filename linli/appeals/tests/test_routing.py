"""The routing classifier ("啥事儿该找谁"): `linli route`'s JSON contract, odd input, Traditional input,
corrections feeding the retrain, stored versions and rollback.

Trained on a small set built from the default directory's "handles" phrases (not the shipped data), so the
tests stay fast and do not depend on the shipped set's wording; bench/routing.py measures the real model.
"""

from __future__ import annotations

import io
import json
import random
import re

import pytest
from django.core.management import CommandError, call_command

from linli.__main__ import DASHED_COMMANDS
from linli.appeals.defaults import UNITS
from linli.appeals.routing import model as m
from linli.appeals.routing import services as routing
from linli.appeals.routing.models import RoutingCorrection, RoutingModel
from linli.appeals.tests.conftest import new_appeal

TEMPLATES = ["{}坏了好几天了", "反映一下{}的问题", "{}找谁管", "{}没人管，麻烦处理", "关于{}", "我想问{}"]
ODD = "我家门口那个蓝色的东西又响了一整夜"  # nothing in the small training set says whose this is


def _examples(per_phrase: int, seed: int) -> list[m.Example]:
    """Every "handles" phrase of every default unit in `per_phrase` of the templates."""
    rnd = random.Random(seed)
    out = []
    for code, _name, handles, _not in UNITS:
        for phrase in (p for p in re.split(r"[、；：（），]", handles) if len(p) >= 2):
            out += [m.Example(t.format(phrase), code) for t in rnd.sample(TEMPLATES, per_phrase)]
    return out


def _write(path, examples):
    path.write_text("".join(json.dumps({"text": e.text, "unit": e.unit}, ensure_ascii=False) + "\n" for e in examples))
    return path


@pytest.fixture(scope="module")
def router() -> m.Router:
    return m.train(_examples(3, seed=1))


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """Point the services at a small shipped set and start each test with an empty model cache."""
    monkeypatch.setattr(m, "TRAIN_FILE", _write(tmp_path / "train.jsonl", _examples(3, seed=1)))
    monkeypatch.setattr(m, "HELDOUT_FILE", _write(tmp_path / "heldout.jsonl", _examples(1, seed=2)))
    monkeypatch.setattr(m, "LETTERS_TRAIN_FILE", tmp_path / "no-letters.jsonl")
    routing._forget()
    yield
    routing._forget()


def _route(lines: list[str]) -> list[dict]:
    out = io.StringIO()
    call_command("route", stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


# -- the model itself --------------------------------------------------------------------------------------


def test_it_routes_traditional_like_simplified(router):
    simplified, traditional = router.suggest("楼道灯坏了好几天了"), router.suggest("樓道燈壞了好幾天了")
    assert simplified.unit == traditional.unit == "property"
    assert traditional.confidence == pytest.approx(simplified.confidence)


def test_it_ignores_full_width_digits_and_phone_numbers(router):
    plain = router.suggest("井盖缺失，路人容易掉下去")
    noisy = router.suggest("３号楼前井盖缺失，路人容易掉下去！联系电话13800138000")
    assert m.normalise("３号楼 ＡＢＣ") == "号楼 abc"
    assert noisy.unit == plain.unit == "urban_mgmt"


def test_normalise_keeps_simplified_and_maps_dialect_and_the_hotline_frame():
    assert m.normalise("什麼時候") == m.normalise("什么时候") == "什么时候"  # 么 is not turned into 幺
    assert m.normalise("擡起来") == m.normalise("抬起来") == "抬起来"
    assert m.normalise("搞么事啊，冇得水，要么子手续，么样办") == "干什么啊 没有水 要什么手续 怎么样办"
    assert m.normalise("市民来电反映：其家中停水") == "其家中停水"
    assert m.normalise("停电了什么时候来电") == "停电了什么时候来电"


def test_empty_text_goes_to_the_community_with_low_confidence_and_a_reason(router):
    for text in ("", "   ", None, "😀😀😀", "？！。"):
        s = router.suggest(text)
        assert s.unit == "community"
        assert s.confidence < 0.2
        assert len(s.alternatives) == 2
        assert "社区居委会" in s.reason


def test_odd_text_never_crashes_and_probabilities_sum_sensibly(router):
    texts = [
        "电梯" * 5000,
        "楼道灯不亮 the light is broken 🙏",
        "Смешанный текст 混合 テキスト",
        "\x00\ufffd\U0001f600",
    ]
    for s in router.predict(texts):
        assert 0 <= s.alternatives[1][1] <= s.alternatives[0][1] <= s.confidence <= 1
        assert s.confidence + sum(p for _, p in s.alternatives) <= 1.0001


def test_the_reason_names_what_decided_it(router):
    s = router.suggest("楼道灯坏了好几天了")
    assert s.reason.endswith("通常由物业服务企业处理")
    assert s.keywords and any("灯" in k or "楼道" in k for k in s.keywords)


def test_a_stored_model_loads_back_identical(router):
    again = m.Router.loads(router.dumps())
    assert again.suggest("停水了").as_json() == router.suggest("停水了").as_json()


# -- `linli route` -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_route_echoes_ids_and_writes_one_line_per_input(shipped):
    rows = _route(
        [
            json.dumps({"id": 1, "text": "电梯坏了好几天了"}),
            json.dumps({"id": "a-2", "text": "電梯壞了好幾天了"}, ensure_ascii=False),
            json.dumps({"id": {"n": 3}, "text": ""}),
            json.dumps({"id": 4, "text": "长" * 10_000}),
            json.dumps({"id": 5, "text": "🚰💧😡 停水 water"}),
        ]
    )
    assert [r["id"] for r in rows] == [1, "a-2", {"n": 3}, 4, 5]
    for r in rows:
        assert set(r) == {"id", "unit", "confidence", "alternatives"}
        assert 0 <= r["confidence"] <= 1
        assert len(r["alternatives"]) == 2 and all(len(a) == 2 for a in r["alternatives"])
    assert rows[0]["unit"] == rows[1]["unit"] == "property"
    assert rows[2]["unit"] == "community"


@pytest.mark.django_db
def test_route_answers_a_bad_line_with_an_error_and_carries_on(shipped):
    rows = _route(
        [
            "not json",
            "[1, 2]",
            json.dumps({"id": 7}),
            json.dumps({"id": 8, "text": 42}),
            "",
            json.dumps({"id": 9, "text": "停水了"}),
        ]
    )
    assert len(rows) == 5  # the blank line is skipped
    assert all("error" in r for r in rows[:4])
    assert [r["id"] for r in rows] == [None, None, 7, 8, 9]
    assert rows[4]["unit"] == "water"


def test_dashed_command_name():
    assert DASHED_COMMANDS["route-train"] == "route_train"


# -- versions, corrections, rollback -----------------------------------------------------------------------


@pytest.mark.django_db
def test_first_use_trains_and_activates_version_one(shipped):
    assert not RoutingModel.objects.exists()
    assert routing.suggest("停水了").unit == "water"
    row = RoutingModel.objects.get()
    assert (row.version, row.is_active) == (1, True)
    assert row.trained_on["shipped"] == len(_examples(3, seed=1)) and row.metrics["n"] == len(_examples(1, seed=2))


@pytest.mark.django_db
def test_corrections_are_recorded_and_learnt_at_the_next_retrain(shipped, aw):
    appeal = new_appeal(aw, text=ODD)
    before = routing.suggest(ODD).unit
    chosen = "police" if before != "police" else "fire"
    assert routing.record_correction(appeal, before, before) is None  # not a correction
    for _ in range(2):
        c = routing.record_correction(appeal, before, aw.units[chosen])
    assert (c.text, c.suggested, c.chosen, c.community_id) == (ODD, before, chosen, appeal.community_id)
    # From a second community too, so it is not one community's own rule (kept out of the shared model).
    routing.record_correction(None, before, chosen, text=ODD, community=aw.communities["w1"])
    assert RoutingCorrection.objects.count() == 3

    row = routing.train_version()
    assert row.trained_on["corrections"] == 3
    assert routing.suggest(ODD).unit == chosen


@pytest.mark.django_db
def test_a_bad_retrain_can_be_rolled_back(shipped):
    first = routing.train_version()
    before = routing.suggest(ODD).unit
    chosen = "police" if before != "police" else "fire"
    for _ in range(3):
        routing.record_correction(None, before, chosen, text=ODD)

    out = io.StringIO()
    call_command("route_train", "--no-activate", stdout=out)
    assert "准确率" in out.getvalue() and "未启用" in out.getvalue()
    assert RoutingModel.objects.get(is_active=True).version == first.version
    assert routing.get_router(refresh=True).suggest(ODD).unit == before

    call_command("route_train", "--rollback", "2", stdout=io.StringIO())
    assert routing.suggest(ODD).unit == chosen
    call_command("route_train", "--rollback", "1", stdout=io.StringIO())
    assert routing.suggest(ODD).unit == before
    assert list(RoutingModel.objects.filter(is_active=True).values_list("version", flat=True)) == [1]
    with pytest.raises(CommandError, match="没有版本 9"):
        call_command("route_train", "--rollback", "9", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_celery_task_trains_a_new_version(shipped):
    from linli.appeals.tasks import route_train

    assert route_train() == 1
    assert route_train(activate=False) == 2
    assert RoutingModel.objects.get(is_active=True).version == 1


@pytest.mark.django_db
def test_a_stored_model_that_no_longer_loads_is_retrained(shipped):
    routing.train_version()
    RoutingModel.objects.filter(version=1).update(artifact=b"not a pickle")
    routing._forget()
    assert routing.suggest("停水了").unit == "water"
    assert RoutingModel.objects.get(is_active=True).version == 2
