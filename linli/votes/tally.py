"""The arithmetic of a vote: counts, each threshold with its numbers, and whether the vote passed.

Ratios are Fractions (areas are Decimals, made exact Fractions), so a vote at exactly two thirds or three
quarters is decided exactly; percentages are rounded only for display.

Art. 278 of the Civil Code (业主共同决定事项):
- participation: 专有部分面积占比三分之二以上 且 人数占比三分之二以上 → ≥ 2/3 of households and ≥ 2/3 of area;
- general matters: 参与表决专有部分面积过半数 且 参与表决人数过半数 同意 → > 1/2 of participating households and area;
- major matters (筹集、使用维修资金，改建、重建，改变共有部分用途): 四分之三以上 → ≥ 3/4 of participating households
  and area.
The ordinary community rule is "参与表决户数过半同意": > 1/2 of the households that voted, no participation floor.
With weigh_by_area off only the household conditions apply. Households without a recorded area count 0 ㎡.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from linli.votes.choices import VoteRule

TWO_THIRDS, HALF, THREE_QUARTERS = Fraction(2, 3), Fraction(1, 2), Fraction(3, 4)


def pct(value: Fraction) -> str:
    """69.3% (one decimal, half up, for display only)."""
    scaled = Decimal(value.numerator * 100) / Decimal(value.denominator)
    return f"{scaled.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _two(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def area_text(value) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'))}㎡"


@dataclass
class Threshold:
    label: str  # 参与户数
    part: str  # "312" or "12345.60㎡"
    whole: str
    ratio: str  # "69.3%" ("—" when the whole is 0)
    op: str  # "≥" or ">"
    required: str  # "66.7%"
    met: bool

    @property
    def text(self) -> str:
        verdict = "达到" if self.met else "未达到"
        if self.ratio == "—":
            return f"{self.label} {self.part}/{self.whole}，无法计算（分母为0），{verdict}"
        if self.met:
            return f"{self.label} {self.part}/{self.whole} = {self.ratio} {self.op} {self.required} {verdict}"
        return f"{self.label} {self.part}/{self.whole} = {self.ratio}，需 {self.op} {self.required}，{verdict}"


def _check(label, part, whole, required: Fraction, strict: bool, *, area: bool) -> Threshold:
    fmt = area_text if area else str
    if not whole:
        return Threshold(label, fmt(part), fmt(whole), "—", ">" if strict else "≥", pct(required), False)
    ratio = Fraction(Decimal(part)) / Fraction(Decimal(whole))
    met = ratio > required if strict else ratio >= required
    return Threshold(label, fmt(part), fmt(whole), pct(ratio), ">" if strict else "≥", pct(required), met)


@dataclass
class BuildingRow:
    building: str
    eligible: int
    participating: int
    yes: int
    no: int
    abstain: int

    @property
    def turnout(self) -> str:
        return pct(Fraction(self.participating, self.eligible)) if self.eligible else "—"


@dataclass
class Counts:
    eligible: int = 0
    yes: int = 0
    no: int = 0
    abstain: int = 0
    eligible_area: Decimal = Decimal("0")
    yes_area: Decimal = Decimal("0")
    no_area: Decimal = Decimal("0")
    abstain_area: Decimal = Decimal("0")
    without_area: int = 0  # eligible households without a recorded area (counted as 0 ㎡)

    @property
    def participating(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def participating_area(self) -> Decimal:
        return self.yes_area + self.no_area + self.abstain_area

    def add(self, other: Counts) -> None:
        for name in ("eligible", "yes", "no", "abstain", "without_area"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("eligible_area", "yes_area", "no_area", "abstain_area"):
            setattr(self, name, getattr(self, name) + Decimal(getattr(other, name)))


@dataclass
class Tally:
    rule: str
    weigh_by_area: bool
    counts: Counts
    thresholds: list[Threshold] = field(default_factory=list)
    passed: bool = False
    buildings: list[BuildingRow] = field(default_factory=list)

    @property
    def rule_label(self) -> str:
        return VoteRule(self.rule).label

    @property
    def turnout(self) -> str:
        c = self.counts
        return pct(Fraction(c.participating, c.eligible)) if c.eligible else "—"

    def as_json(self) -> dict:
        """What Vote.result freezes at closing (and the API returns)."""
        c = self.counts
        return {
            "rule": self.rule,
            "weigh_by_area": self.weigh_by_area,
            "households": {
                "eligible": c.eligible,
                "participating": c.participating,
                "for": c.yes,
                "against": c.no,
                "abstain": c.abstain,
            },
            "area": {
                "eligible": _two(c.eligible_area),
                "participating": _two(c.participating_area),
                "for": _two(c.yes_area),
                "against": _two(c.no_area),
                "abstain": _two(c.abstain_area),
                "households_without_area": c.without_area,
            },
            "thresholds": [{**asdict(t), "text": t.text} for t in self.thresholds],
            "passed": self.passed,
            "buildings": [asdict(b) for b in self.buildings],
        }


def decide(rule: str, weigh_by_area: bool, counts: Counts, buildings=()) -> Tally:
    """Each threshold of `rule` with its numbers, and whether all are met."""
    c = counts
    checks: list[Threshold] = []
    if rule in (VoteRule.CIVIL_CODE_GENERAL, VoteRule.CIVIL_CODE_MAJOR):
        checks.append(_check("参与户数", c.participating, c.eligible, TWO_THIRDS, False, area=False))
        if weigh_by_area:
            checks.append(_check("参与面积", c.participating_area, c.eligible_area, TWO_THIRDS, False, area=True))
    if rule == VoteRule.CIVIL_CODE_MAJOR:
        required, strict = THREE_QUARTERS, False
    else:
        required, strict = HALF, True
    checks.append(_check("同意户数", c.yes, c.participating, required, strict, area=False))
    if weigh_by_area:
        checks.append(_check("同意面积", c.yes_area, c.participating_area, required, strict, area=True))
    return Tally(
        rule=str(rule),
        weigh_by_area=weigh_by_area,
        counts=c,
        thresholds=checks,
        passed=all(t.met for t in checks),
        buildings=list(buildings),
    )
