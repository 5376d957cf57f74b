import pytest

from linli.mediation.testing import build_mediation_world


@pytest.fixture
def mw(world):
    return build_mediation_world(world)
