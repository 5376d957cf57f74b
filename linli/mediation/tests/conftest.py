import pytest

from linli.mediation.testing import build_mediation_world


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def mw(world):
    return build_mediation_world(world)
