import pytest

from linli.deliberation.choices import MatterScope
from linli.testing import make_resident
from linli.votes.testing import make_matter


@pytest.fixture
def b1_matter(world):
    """A matter of 东一社区's building 1 (24 households; 张三, 李四 and 陈奶奶 live there)."""
    return make_matter(
        world.communities["e1"], "1栋加装电梯", scope=MatterScope.BUILDING, buildings=[world.buildings["b1"]]
    )


@pytest.fixture
def neighbours(world):
    """Four more residents of building 1, one per household (rooms 102, 202, 301, 302 of entrance 1)."""
    b1 = world.buildings["b1"]
    return [make_resident(b1, f"邻居{i}", room=room, seq=20 + i) for i, room in enumerate(["102", "202", "301", "302"])]
