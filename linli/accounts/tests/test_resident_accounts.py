"""resident_accounts: whom to tell among the residents of some rooms or buildings (those with an active account,
still registered there)."""

import pytest

from linli.accounts.choices import Role
from linli.accounts.directory import resident_accounts
from linli.residents.models import Resident
from linli.testing import make_user

pytestmark = pytest.mark.django_db


def test_it_finds_the_accounts_of_residents_of_the_rooms_or_buildings_given(world):
    chen = world.users["resident"]  # 陈奶奶, 1栋
    wang = make_user("wang_account", Role.RESIDENT, resident=world.residents["wang"])  # 2栋
    b1, b2 = world.buildings["b1"], world.buildings["b2"]
    assert resident_accounts(building_ids=[b1.pk]) == [chen]
    assert resident_accounts(household_ids=[world.residents["wang"].household_id]) == [wang]
    assert resident_accounts(building_ids=[b1.pk, b2.pk]) == sorted([chen, wang], key=lambda u: u.pk)
    assert resident_accounts() == []


def test_it_leaves_out_inactive_accounts_staff_and_residents_who_moved_out(world):
    b1 = world.buildings["b1"]
    Resident.objects.filter(pk=world.residents["chen"].pk).update(status="moved_out")
    assert resident_accounts(building_ids=[b1.pk]) == []
    Resident.objects.filter(pk=world.residents["chen"].pk).update(status="active")
    world.users["resident"].is_active = False
    world.users["resident"].save()
    assert resident_accounts(building_ids=[b1.pk]) == []
    # A grid worker of the building is staff, not a resident of it.
    assert world.users["grid_worker_1"] not in resident_accounts(building_ids=[b1.pk])
