import pytest

from linli.support.testing import matrix_objects


@pytest.fixture
def sw(world):
    """The world plus 帮扶与共建's fixtures (linli/support/testing.py)."""
    return matrix_objects(world)
