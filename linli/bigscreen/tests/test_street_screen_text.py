"""A street's screen speaks of the street: its overview is 街道概况, a community's stays 社区概况."""

import pytest

from linli.bigscreen.figures import screen_figures
from linli.bigscreen.testing import make_screen

pytestmark = pytest.mark.django_db


def test_the_overview_is_named_after_the_screens_level(world):
    street, _key = make_screen(street=world.streets["east"], panels=["overview"])
    community, _key = make_screen(community=world.communities["e1"], panels=["overview"])
    assert [p["title"] for p in screen_figures(street)["panels"]] == ["街道概况"]
    assert [p["title"] for p in screen_figures(community)["panels"]] == ["社区概况"]
