"""Free addresses matched to buildings and rooms: linli.areas.addresses.match_address and friends.

One community with two compounds (青和居 numbered 1-12, 青山苑 numbered from 21 but called 1栋, 2号楼
by its residents), a building called by name (综合楼), a letter building (A座), and a second
community that also has a 1栋.
"""

from __future__ import annotations

import time

import pytest

from linli.areas.addresses import AddressMatch, BuildingIndex, Confidence, match_address, match_room
from linli.areas.models import Building, Community, Street
from linli.testing import make_building


def _building(community, number, name, compound="", *, entrances=2, floors=6):
    return make_building(community, None, number, name=name, compound=compound, entrances=entrances, floors=floors)


@pytest.fixture
def place(db):
    street = Street.objects.create(code="s", name="工人村街")
    c = Community.objects.create(street=street, code="qh", name="青和社区")
    other = Community.objects.create(street=street, code="d2", name="东二社区")
    for n in (1, 2, 3, 12):
        _building(c, n, f"{n}栋", "青和居")
    _building(c, 5, "5栋", "青和居", entrances=1)
    _building(c, 21, "青山苑1栋", "青山苑", entrances=1, floors=3)
    _building(c, 22, "2号楼", "青山苑", entrances=1, floors=3)
    _building(c, 30, "综合楼", entrances=1, floors=3)
    _building(c, 31, "A座", "青山苑", entrances=1, floors=3)
    _building(other, 1, "1栋", entrances=1, floors=2)
    return c, other


# (text, building number or None, entrance, floor, room, household matched)
CASES = [
    # building words and numerals
    ("3栋2单元502", 3, 2, 5, "502", True),
    ("3号楼2单元502室", 3, 2, 5, "502", True),
    ("3幢2单元502", 3, 2, 5, "502", True),
    ("3座2单元502", 3, 2, 5, "502", True),
    ("3号2单元502", 3, 2, 5, "502", True),
    ("三栋二单元502", 3, 2, 5, "502", True),
    ("十二栋1单元101", 12, 1, 1, "101", True),
    ("十二号楼", 12, None, None, None, False),
    ("3 栋 第2单元 502 室", 3, 2, 5, "502", True),
    # 门 for 单元, dashes, codes
    ("3号楼2门502", 3, 2, 5, "502", True),
    ("3号楼2-502", 3, 2, 5, "502", True),
    ("3-2-502", 3, 2, 5, "502", True),
    ("青和居3-2-502室", 3, 2, 5, "502", True),
    ("5号楼门口", 5, None, None, None, False),
    # full-width digits and dashes
    ("３栋２单元５０２", 3, 2, 5, "502", True),
    ("３－２－５０２", 3, 2, 5, "502", True),
    # long hotline addresses
    ("武汉市硚口区工人村街青和居社区3栋2单元502", 3, 2, 5, "502", True),
    ("工人村路88号", None, None, None, None, False),
    ("和平大道88号路口", None, None, None, None, False),
    ("工人村路88号青和居3栋2单元502", 3, 2, 5, "502", True),
    ("12号院5号楼", 5, None, None, None, False),
    ("2号楼3楼楼道灯不亮", 2, None, 3, None, False),
    ("3栋旁边的5栋502", 5, None, 5, "502", True),
    # a room without its entrance: matched only when one entrance has it
    ("5栋502", 5, None, 5, "502", True),
    ("3栋502", 3, None, 5, "502", False),
    # rooms that do not exist: the building still matches
    ("3栋2单元909", 3, 2, 9, "909", False),
    ("3栋3单元502", 3, 3, 5, "502", False),
    # compounds: 青山苑's 1栋 is building 21; 1栋 alone is the community's building 1
    ("青山苑1栋101", 21, None, 1, "101", True),
    ("青山苑2号楼301", 22, None, 3, "301", True),
    ("1栋1单元101", 1, 1, 1, "101", True),
    ("青和居1栋", 1, None, None, None, False),
    ("青山苑3栋", None, None, None, None, False),
    # buildings called by name or letter
    ("综合楼3楼", 30, None, 3, None, False),
    ("青山苑A座201", 31, None, 2, "201", True),
    ("a座201室", 31, None, 2, "201", True),
    # not a building of the community / nothing at all
    ("9栋2单元502", None, None, None, None, False),
    ("11栋", None, None, None, None, False),
    ("两栋楼之间的路灯", None, None, None, None, False),
    ("", None, None, None, None, False),
    ("   ", None, None, None, None, False),
    ("!!!???@@@", None, None, None, None, False),
    ("小区东门", None, None, None, None, False),
]


@pytest.mark.parametrize(("text", "number", "entrance", "floor", "room", "household"), CASES)
def test_match_address_finds_the_building_and_room(place, text, number, entrance, floor, room, household):
    community, _ = place
    found = match_address(text, community)
    assert (found.building.number if found.building else None) == number
    if number is None:
        assert found.household is None and found.confidence == Confidence.NONE and found.why
        return
    assert (found.entrance, found.floor, found.room) == (entrance, floor, room)
    assert found.building.community == community
    if household:
        h = found.household
        assert h is not None and h.building == found.building and h.room == room
        assert entrance is None or h.entrance == entrance
        assert found.confidence == Confidence.HOUSEHOLD
    else:
        assert found.household is None and found.confidence == Confidence.BUILDING


def test_it_says_why_nothing_or_only_the_building_was_found(place):
    community, _ = place
    assert match_address("9栋2单元502", community).why == "9栋不在本社区"
    assert match_address("9栋", community).number == 9
    assert match_address("工人村路88号", community).why == "地址里没有可识别的楼栋"
    assert "请写明单元" in match_address("3栋502", community).why
    assert match_address("3栋2单元909", community).why == "3栋没有户室2单元909。"
    assert "青山苑没有3栋" in match_address("青山苑3栋", community).why


def test_exact_means_nothing_but_the_address_was_written(place):
    community, _ = place
    assert match_address("青和居3栋2单元502室", community).exact
    assert match_address("3-2-502", community).exact
    assert not match_address("3栋2单元502门口的路灯", community).exact


def test_a_room_next_to_a_chosen_building(place):
    community, _ = place
    b3 = Building.objects.get(community=community, number=3)
    assert match_room(b3, "2单元502").household.entrance == 2
    assert match_room(b3, "2-502").household.room == "502"
    assert match_room(b3, "2单元 502室").household.room == "502"
    assert match_room(b3, "3栋2单元502").household.room == "502"
    assert "请写明单元" in match_room(b3, "502").why
    assert match_room(b3, "5栋2单元502").why == "户室“5栋2单元502”不在所选的3栋。"
    assert match_room(b3, "楼顶天台").why.startswith("看不懂户室")
    assert match_room(b3, "3栋").household is None and match_room(b3, "3栋").why.startswith("看不懂户室")
    assert match_room(b3, "2单元909").why == "3栋没有户室2单元909。"
    b5 = Building.objects.get(community=community, number=5)
    assert match_room(b5, "502").household.room == "502"


def test_across_communities_a_number_in_both_needs_the_community(place):
    community, other = place
    index = BuildingIndex(Building.objects.select_related("community"), where="您的管辖范围")
    assert index.match("1栋").building is None and "请写明社区或小区" in index.match("1栋").why
    assert index.match("东二社区1栋1单元101").household.building.community == other
    assert index.match("青和社区1栋").building.community == community
    assert index.match("3栋").building.community == community


def test_garbage_and_very_long_text_do_not_crash_and_are_fast(place):
    community, _ = place
    index = BuildingIndex.of(community, with_rooms=True)
    texts = [
        "x" * 10_000,
        "3栋" * 5_000,
        "1234567890-" * 1_000,
        "栋单元号楼-" * 2_000,
        "十" * 10_000,
        "\x00\ufffd\u200b" * 3_000,
        "青山苑" * 3_000 + "1栋",
    ]
    started = time.perf_counter()
    results = [index.match(t) for t in texts]
    assert time.perf_counter() - started < 1.0
    assert all(isinstance(r, AddressMatch) for r in results)
    assert results[1].building.number == 3
    assert results[-1].building.number == 21


def test_one_index_matches_hundreds_of_addresses_without_a_query_each(place, django_assert_num_queries):
    community, _ = place
    texts = [text for text, *_ in CASES] * 10
    with django_assert_num_queries(2):  # the buildings, then their rooms
        index = BuildingIndex.of(community, with_rooms=True)
    with django_assert_num_queries(0):
        found = [index.match(t) for t in texts]
    assert sum(f.household is not None for f in found) == 10 * sum(1 for *_, h in CASES if h)


def test_one_address_costs_a_query_for_the_buildings_and_one_for_the_room(place, django_assert_num_queries):
    community, _ = place
    with django_assert_num_queries(2):
        assert match_address("3栋2单元502", community).household is not None
    with django_assert_num_queries(1):
        assert match_address("3栋", community).building.number == 3


def test_a_superscript_or_circled_digit_is_no_number():
    from linli.areas.addresses import chinese_number

    assert [chinese_number(t) for t in ("²", "①", "12", "十二", "１２")] == [None, None, 12, 12, 12]
