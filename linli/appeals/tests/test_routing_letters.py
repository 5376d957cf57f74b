"""Issue 21: the router reads long formal letters (mayor's mailbox, leadership message board, 12345 transfer sheets):
the clauses that state the problem weigh more than courtesy, residence, the history of earlier complaints and
feelings; the held-out letters are never trained on; calibration is measured."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from linli.appeals.routing import model as m

BENCH = Path(__file__).resolve().parents[3] / "bench"

LIFT_LETTER = (
    "尊敬的市长：您好！我是城南街道枫林小区的一名业主，今年七十二岁。为了这件事，我们曾多次向住建局反映，"
    "也打过好几次12345热线，住建局说会督促，热线说已转办，可至今无果。我们小区8号楼的电梯坏了三个星期了，"
    "一直停在一楼不动。楼里住着很多腿脚不便的老人，每天只能爬楼，大家苦不堪言。恳请领导高度重视，谢谢！"
)


def _generator(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_routes_a_broken_lift_in_a_compound_to_the_property_company_though_the_history_names_12345_and_housing(
    _shipped_router,
):
    suggestion = _shipped_router.suggest(LIFT_LETTER)
    assert suggestion.unit == "property"
    assert any("电梯" in k for k in suggestion.keywords) or "电梯" in suggestion.reason


def test_it_weighs_the_problem_above_courtesy_residence_and_history():
    weights = dict(m.weighted_clauses(LIFT_LETTER))
    problem = weights["我们小区号楼的电梯坏了三个星期了"]
    assert problem == 1.0
    assert weights["我们曾多次向住建局反映"] < problem  # history
    assert weights["也打过好几次热线"] < problem  # history: "12345" is read before digits are dropped
    assert weights["可至今无果"] < problem
    assert weights["我是城南街道枫林小区的一名业主"] < problem  # where the writer lives
    assert weights["尊敬的市长"] < problem and weights["恳请领导高度重视"] < problem  # courtesy
    assert weights["一直停在一楼不动"] == 1.0  # the problem goes on in the next clause


def test_history_that_states_the_problem_is_down_weighted_only_in_its_own_clause():
    weights = m.weighted_clauses("我曾向物业反映过，楼道灯坏了两个月。另外顺便说一下，门口公交站牌旧了。")
    assert weights == [
        ("我曾向物业反映过", 0.3),
        ("楼道灯坏了两个月", 1.0),
        ("另外顺便说一下", 0.3),
        ("门口公交站牌旧了", 0.3),
    ]


def test_a_short_appeal_reads_exactly_as_with_the_plain_vectoriser():
    texts = [e.text for e in m.load_examples(m.TRAIN_FILE)][:300]
    short = ["楼道灯坏了好几天，没人修", "井盖丢了！", "谢谢", "我们打过12345无果"]
    ours = m.ClauseWeightedTfidf()
    ours.fit_transform(texts)
    plain = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32)
    plain.fit([m.normalise(t) for t in texts])
    assert list(ours.get_feature_names_out()) == list(plain.get_feature_names_out())
    a = ours.transform(short).toarray()
    b = plain.transform([m.normalise(t) for t in short]).toarray()
    assert np.allclose(a, b, atol=1e-5)


def test_the_held_out_letters_are_never_trained_on_nor_near_copies_of_training_text():
    training = [e.text for e in m.load_training()]
    letters = [e.text for e in m.load_examples(m.LETTERS_HELDOUT_FILE)]
    assert len(letters) >= 150
    assert not set(letters) & set(training)
    # Near-identical: the share of character 4-grams two texts have in common (Jaccard). Paraphrases of one letter
    # by one template score above 0.5; the closest held-out/training pair today is about 0.04.
    grams = CountVectorizer(analyzer="char", ngram_range=(4, 4), binary=True).fit(letters + training)
    a, b = grams.transform(letters), grams.transform(training)
    both = (a @ b.T).toarray()
    union = np.asarray(a.sum(axis=1)) + np.asarray(b.sum(axis=1)).T - both
    assert (both / union).max() < 0.3


def test_the_two_letter_generators_share_no_phrase_and_rebuild_their_files():
    heldout, train = _generator("letters_heldout"), _generator("letters_train")
    assert not {p for p in heldout.banks() if p} & {p for p in train.banks() if p}
    for module, path in ((heldout, m.LETTERS_HELDOUT_FILE), (train, m.LETTERS_TRAIN_FILE)):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert rows == module.build(), f"{path.name} is not what {module.__name__}.py writes; re-run it"


def test_held_out_letters_are_long_and_cover_every_unit():
    from linli.appeals.defaults import UNITS

    letters = m.load_examples(m.LETTERS_HELDOUT_FILE)
    assert {e.unit for e in letters} == {code for code, *_ in UNITS}
    assert min(len(e.text) for e in letters) >= 150


def test_expected_calibration_error():
    assert m.expected_calibration_error([], []) == 0.0
    # 10 texts at 0.8 confidence, 8 right: calibrated
    assert m.expected_calibration_error([0.8] * 10, [True] * 8 + [False] * 2) == pytest.approx(0.0)
    # overconfident: 0.9 but half right → 0.4
    assert m.expected_calibration_error([0.9] * 4, [True, False, True, False]) == pytest.approx(0.4)
    # two bins, weighted by their share: 3 texts at 0.35 all wrong (gap 0.35), 1 at 1.0 right (gap 0) → 0.2625
    assert m.expected_calibration_error([0.35, 0.35, 0.35, 1.0], [False, False, False, True]) == pytest.approx(0.2625)


def test_evaluate_reports_calibration(_shipped_router):
    result = m.evaluate(_shipped_router, m.load_examples(m.LETTERS_HELDOUT_FILE)[:40])
    assert 0.0 <= result["ece"] < 0.2
