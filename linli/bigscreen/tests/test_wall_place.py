"""Where an anonymous deed's resident lives, as a street's screen says it: the community once, the building."""

from types import SimpleNamespace

import pytest

from linli.bigscreen.wall import _resident_place


def resident(community, compound, building):
    return SimpleNamespace(
        building=SimpleNamespace(compound=compound, name=building), community=SimpleNamespace(name=community)
    )


@pytest.mark.parametrize(
    "community, compound, building, street_wide, said",
    [
        ("青和居社区", "青和居", "1栋", True, "青和居1栋的一位居民"),
        ("青和居社区", "", "1栋", True, "青和居社区1栋的一位居民"),
        ("园德家园社区", "钢花村", "3栋", True, "园德家园社区钢花村3栋的一位居民"),
        ("青和居社区", "青和居", "1栋", False, "青和居1栋的一位居民"),
        ("青和居社区", "", "1栋", False, "1栋的一位居民"),
    ],
)
def test_a_street_screen_names_the_community_once(community, compound, building, street_wide, said):
    assert _resident_place(resident(community, compound, building), street_wide) == said
