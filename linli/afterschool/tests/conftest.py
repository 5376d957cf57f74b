import pytest

from linli.afterschool.testing import matrix_objects


@pytest.fixture
def sw(world):
    """The world plus the 四点半学校 fixtures (linli/afterschool/testing.py) on world.school."""
    world.school = matrix_objects(world)
    return world
