"""bigscreen 0002 carries the two old consent fields over to one WallConsent per person with the safe rule: a
resident consents only where every record of theirs said yes; an outside person keeps their record's answer."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from linli.bigscreen.models import WallConsent
from linli.lovebank import services as lovebank
from linli.volunteers.tests.helpers import volunteer

BEFORE = [
    ("bigscreen", "0001_initial"),
    ("volunteers", "0003_volunteer_wall_name_consent"),
    ("lovebank", "0003_account_wall_name_consent"),
]


def unapply(executor, targets):
    """Migrate back to `targets` as `executor.migrate(targets)` would, each migration unapplied from the state
    before it (the state of its own ancestors: Migration.unapply works out its own from there). The executor's backwards path first renders the state of every applied migration of the
    project, one after another (some 20 CPU-s, as much as creating the test database); the three migrations undone
    here need only theirs."""
    plan = executor.migration_plan(targets)
    assert plan and all(backwards for _migration, backwards in plan), plan
    for migration, _backwards in plan:
        before = executor.loader.project_state((migration.app_label, migration.name), at_end=False)
        executor.unapply_migration(before, migration)


@pytest.mark.django_db(transaction=True)
def test_only_people_who_said_yes_on_every_record_consent(world):
    r = world.residents
    both_yes = volunteer(world, name=r["chen"].name, resident=r["chen"])
    split = volunteer(world, name=r["li"].name, resident=r["li"])
    outside_yes = volunteer(world, name="刘热心")
    outside_no = volunteer(world, name="王路过")
    accounts = {k: lovebank.resident_account(r[k]) for k in ("chen", "li", "zhang")}
    executor = MigrationExecutor(connection)
    unapply(executor, BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        Volunteer = apps.get_model("volunteers", "Volunteer")
        Account = apps.get_model("lovebank", "Account")
        Volunteer.objects.filter(pk__in=[both_yes.pk, split.pk, outside_yes.pk]).update(wall_name_consent=True)
        Account.objects.filter(pk__in=[accounts["chen"].pk, accounts["zhang"].pk]).update(wall_name_consent=True)
        assert Volunteer.objects.get(pk=outside_no.pk).wall_name_consent is False
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    agreed = WallConsent.objects.filter(consent=True)
    assert set(agreed.exclude(resident=None).values_list("resident_id", flat=True)) == {r["chen"].pk, r["zhang"].pk}
    assert set(agreed.exclude(volunteer=None).values_list("volunteer_id", flat=True)) == {outside_yes.pk}
    assert WallConsent.objects.count() == 3  # 李 (yes as a volunteer, no on the account) and 王路过: no row
    assert {c.community_id for c in agreed} == {world.communities["e1"].pk} | {r["zhang"].community_id}
