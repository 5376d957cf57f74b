import pytest

from linli.wishes.testing import build_wish_world


@pytest.fixture
def ww(world):
    return build_wish_world(world)
