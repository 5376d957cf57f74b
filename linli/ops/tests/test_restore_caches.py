"""A restore writes every table without a signal: it bumps every cached choice and each restored user's own facts."""

import pytest

from linli.core import pagecache
from linli.ops.backup import forget_cached_choices

pytestmark = pytest.mark.django_db


def test_a_restore_bumps_the_cached_choices_and_every_users_own_group(world):
    groups = ("areas", "tags", "appeals", pagecache.user_group(world.users["secretary"].pk))
    before = pagecache.versions(groups).split(".")
    forget_cached_choices()
    after = pagecache.versions(groups).split(".")
    assert all(old != new for old, new in zip(before, after, strict=True))
