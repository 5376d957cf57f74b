"""走访统计 through the report cache (linli.core.figures.cached_report): the same figures as coverage_report, the time
they were computed on the page, one report per scope and day."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.accounts.choices import Role
from linli.testing import make_user
from linli.visits.coverage import coverage_report
from linli.visits.tests.helpers import visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cached_reports")]


def context(login, user):
    response = login(user).get(reverse("visits:coverage"))
    assert response.status_code == 200
    return response.context, response.content.decode()


def test_it_shows_the_uncached_figures_and_when_they_were_computed(world, login, settings):
    admin = world.users["street_admin"]
    ctx, body = context(login, admin)
    assert ctx["report"] == coverage_report(admin)
    assert f"数据更新于 {timezone.localtime(ctx['computed_at']):%H:%M}" in body
    known = ctx["report"].total.known

    visit(world.residents["zhang"], 0)
    again, _ = context(login, admin)
    assert again["computed_at"] == ctx["computed_at"] and again["report"].total.known == known  # reused
    settings.LINLI_FIGURES_CACHE_SECONDS = 0
    fresh, _ = context(login, admin)
    assert fresh["report"].total.known == known + 1 and fresh["report"] == coverage_report(admin)


def test_it_never_answers_one_scope_with_anothers_report(world, login):
    east, _ = context(login, world.users["street_admin"])
    west_admin = make_user("west_admin", Role.STREET_ADMIN, world.streets["west"])
    west, body = context(login, west_admin)
    assert west["report"] == coverage_report(west_admin)
    assert "西一第1网格" in body and "东一第1网格" not in body
    assert [row.label for row in east["report"].grids if "西一" in row.label] == []
    grid_worker = world.users["grid_worker_1"]
    mine, body = context(login, grid_worker)
    assert mine["report"] == coverage_report(grid_worker) and "东一第2网格" not in body
    # the same scope (another administrator of the same street) shares the computed report
    other, _ = context(login, make_user("east_admin_2", Role.STREET_ADMIN, world.streets["east"]))
    assert other["computed_at"] == east["computed_at"] and other["report"] == east["report"]
