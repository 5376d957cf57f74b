"""走访统计, 逾期未走访 and 走访台账 narrowed to one community of the user's (?community=, a dashboard figure's link);
another street's community is a 404."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_coverage_page_counts_one_community_of_a_street(world, login):
    from linli.visits.coverage import coverage_report

    admin, secretary = world.users["street_admin"], world.users["secretary"]
    client = login(admin)
    page = client.get(reverse("visits:coverage"), {"community": world.communities["e1"].pk})
    assert page.status_code == 200
    report = page.context["report"]
    assert report.total.care == coverage_report(secretary).total.care
    assert {row.label.split()[0] for row in report.grids} == {"东一社区"}
    overdue = client.get(reverse("visits:coverage_overdue"), {"community": world.communities["e2"].pk})
    assert overdue.status_code == 200
    assert all(r.community_id == world.communities["e2"].pk for r in overdue.context["page"])


@pytest.mark.parametrize("name", ["visits:coverage", "visits:coverage_overdue", "visits:visit_ledger"])
def test_another_streets_community_is_not_found(world, login, name):
    response = login(world.users["street_admin"]).get(reverse(name), {"community": world.communities["w1"].pk})
    assert response.status_code == 404
