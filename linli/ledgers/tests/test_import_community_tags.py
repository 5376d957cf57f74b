"""The ledger import gives residents the global tags and their own community's tags, never another community's."""

import pytest

from linli.areas.models import Community
from linli.ledgers.tests.test_importer import fresh, run, table_of  # noqa: F401 (fixture)
from linli.residents.models import Resident, Tag
from linli.residents.services import save_tag
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def test_an_import_accepts_the_communitys_own_tag_and_refuses_another_communitys(fresh):  # noqa: F811
    other = Community.objects.create(street=fresh.street, code="n2", name="北二社区")
    save_tag(Tag(code="n1_focus", name="重点关注", community=fresh), SYSTEM)
    save_tag(Tag(code="n2_watch", name="北二关注", community=other), SYSTEM)
    rows = [
        [1, "甲", "", "", "3", "1", "101", "", "重点关注、独居老人", "", ""],
        [2, "乙", "", "", "3", "1", "102", "", "北二关注", "", ""],
    ]
    report = run(table_of(rows), fresh)
    assert set(Resident.objects.get(name="甲").tags.values_list("code", flat=True)) == {"n1_focus", "living_alone"}
    assert report.errors and not Resident.objects.filter(name="乙", tags__code="n2_watch").exists()
