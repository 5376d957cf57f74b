"""The threshold arithmetic against hand-worked examples (no database)."""

from decimal import Decimal

from linli.votes.choices import VoteRule
from linli.votes.tally import Counts, decide


def texts(t):
    return [th.text for th in t.thresholds]


def test_the_issue_example_reads_as_written():
    # 450 households, 312 took part: 312/450 = 69.33…% ≥ 66.7%; 200 of 312 agreed: 64.1% > 50%.
    t = decide(VoteRule.CIVIL_CODE_GENERAL, False, Counts(eligible=450, yes=200, no=100, abstain=12))
    assert texts(t) == ["参与户数 312/450 = 69.3% ≥ 66.7% 达到", "同意户数 200/312 = 64.1% > 50.0% 达到"]
    assert t.passed


def test_exactly_two_thirds_taking_part_is_enough_and_one_less_is_not():
    # 以上 includes the number: 6 of 9 is exactly 2/3 (66.666…%, shown 66.7%).
    exact = decide(VoteRule.CIVIL_CODE_GENERAL, False, Counts(eligible=9, yes=6))
    assert exact.thresholds[0].met and exact.passed
    short = decide(VoteRule.CIVIL_CODE_GENERAL, False, Counts(eligible=9, yes=5))
    assert not short.thresholds[0].met and not short.passed
    assert short.thresholds[0].text == "参与户数 5/9 = 55.6%，需 ≥ 66.7%，未达到"


def test_exactly_half_agreeing_is_not_more_than_half():
    # 过半数 = more than half: 3 of 6 fails, 4 of 6 passes.
    half = decide(VoteRule.CIVIL_CODE_GENERAL, False, Counts(eligible=6, yes=3, no=3))
    assert [th.met for th in half.thresholds] == [True, False] and not half.passed
    assert decide(VoteRule.CIVIL_CODE_GENERAL, False, Counts(eligible=6, yes=4, no=2)).passed
    assert not decide(VoteRule.ORDINARY, False, Counts(eligible=100, yes=5, no=4, abstain=1)).passed
    assert decide(VoteRule.ORDINARY, False, Counts(eligible=100, yes=6, no=4)).passed


def test_exactly_three_quarters_passes_a_major_matter():
    # 四分之三以上 includes three quarters: 6 of 8 passes, 5 of 8 (62.5%) does not.
    exact = decide(VoteRule.CIVIL_CODE_MAJOR, False, Counts(eligible=8, yes=6, no=2))
    assert exact.passed
    assert exact.thresholds[1].text == "同意户数 6/8 = 75.0% ≥ 75.0% 达到"
    assert not decide(VoteRule.CIVIL_CODE_MAJOR, False, Counts(eligible=8, yes=5, no=3)).passed


def test_the_ordinary_rule_has_no_participation_floor():
    t = decide(VoteRule.ORDINARY, False, Counts(eligible=100, yes=2, no=1))
    assert [th.label for th in t.thresholds] == ["同意户数"] and t.passed


def test_enough_households_but_not_enough_area_fails():
    # Three households of 100, 50 and 50 ㎡; the two small ones vote for: 2/3 of households but half the area.
    c = Counts(eligible=3, yes=2, eligible_area=Decimal("200"), yes_area=Decimal("100"))
    t = decide(VoteRule.CIVIL_CODE_GENERAL, True, c)
    assert texts(t) == [
        "参与户数 2/3 = 66.7% ≥ 66.7% 达到",
        "参与面积 100.00㎡/200.00㎡ = 50.0%，需 ≥ 66.7%，未达到",
        "同意户数 2/2 = 100.0% > 50.0% 达到",
        "同意面积 100.00㎡/100.00㎡ = 100.0% > 50.0% 达到",
    ]
    assert not t.passed


def test_area_is_compared_exactly_not_in_floats():
    # 0.1 + 0.2 style sums: 3 × 33.33 ㎡ of 149.99 ㎡ is 99.99/149.99 = 66.664…% < 2/3 exactly.
    c = Counts(eligible=3, yes=3, eligible_area=Decimal("149.99"), yes_area=Decimal("99.99"))
    assert not decide(VoteRule.CIVIL_CODE_GENERAL, True, c).thresholds[1].met
    c = Counts(eligible=3, yes=3, eligible_area=Decimal("150.00"), yes_area=Decimal("100.00"))
    assert decide(VoteRule.CIVIL_CODE_GENERAL, True, c).thresholds[1].met


def test_no_area_recorded_at_all_cannot_meet_an_area_threshold():
    t = decide(VoteRule.CIVIL_CODE_GENERAL, True, Counts(eligible=3, yes=3, without_area=3))
    assert not t.passed
    assert t.thresholds[1].text == "参与面积 0.00㎡/0.00㎡，无法计算（分母为0），未达到"


def test_nobody_voting_passes_nothing():
    t = decide(VoteRule.ORDINARY, False, Counts(eligible=10))
    assert not t.passed and t.turnout == "0.0%"
