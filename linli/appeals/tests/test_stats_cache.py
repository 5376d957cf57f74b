"""诉求统计 through the report cache (linli.core.figures.cached_report): the same figures as appeal_report, the time they
were computed on the page, one report per scope and period."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.accounts.choices import Role
from linli.appeals.stats import appeal_report
from linli.appeals.tests.conftest import new_appeal
from linli.testing import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cached_reports")]


def page(login, user):
    response = login(user).get(reverse("appeals:appeal_stats"))
    assert response.status_code == 200
    return response


def test_it_shows_the_uncached_figures_and_when_they_were_computed(aw, login, settings):
    for building in ("b1", "b1", "b3"):
        new_appeal(aw, building=building)
    admin = aw.users["street_admin"]
    first = page(login, admin)
    report = first.context["report"]
    assert report == appeal_report(admin, first.context["period"], now=report.now)
    assert report.total.total == 3
    computed_at = first.context["computed_at"]
    assert f"数据更新于 {timezone.localtime(computed_at):%H:%M}" in first.content.decode()

    new_appeal(aw, building="b1")
    again = page(login, admin)
    assert again.context["computed_at"] == computed_at and again.context["report"].total.total == 3  # reused
    settings.LINLI_FIGURES_CACHE_SECONDS = 0
    assert page(login, admin).context["report"].total.total == 4  # computed afresh


def test_it_never_answers_one_scope_with_anothers_report(aw, world, login):
    new_appeal(aw, building="b1")
    new_appeal(aw, building="b4")  # 西一社区, another street
    east = page(login, aw.users["street_admin"]).context
    west_admin = make_user("west_admin", Role.STREET_ADMIN, world.streets["west"])
    west = page(login, west_admin).context
    assert west["computed_at"] >= east["computed_at"]
    assert west["report"] == appeal_report(west_admin, west["period"], now=west["report"].now)
    assert [f.label for f in west["report"].groups["community"]] == ["西一社区"]
    assert [f.label for f in east["report"].groups["community"]] == ["东一社区"]
    secretary = page(login, aw.users["secretary"]).context  # 东一社区 only: a narrower scope, its own report
    assert secretary["report"] == appeal_report(aw.users["secretary"], secretary["period"], now=secretary["report"].now)

    # the same scope (another administrator of the same street) shares the computed report
    other_east = page(login, make_user("east_admin_2", Role.STREET_ADMIN, world.streets["east"])).context
    assert other_east["computed_at"] == east["computed_at"] and other_east["report"] == east["report"]
