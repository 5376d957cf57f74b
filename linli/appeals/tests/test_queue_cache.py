"""The queue page's cached parts: the filter drop-downs (per scope, forgotten when the directory or the area tree
changes), the tab counts, counted together in one statement, and the tabs' statements kept per process
(queues.Queues: counts and rows right after every write and as time passes, never another unit's)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linli.appeals import services
from linli.appeals.models import Appeal, Category, Organisation, UnitBinding
from linli.appeals.rows import queue_rows
from linli.appeals.tests.conftest import new_appeal
from linli.areas.models import Grid
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db

LIST = reverse("appeals:appeal_list")


def options(response, field: str) -> list[str]:
    return [label for _, label in response.context["filter"].form.fields[field].widget.choices]


def test_it_lists_a_new_category_and_grid_in_the_filter_at_once(aw, login):
    client = login(aw.users["secretary"])
    assert "测试井盖丢失" not in options(client.get(LIST), "category")
    Category.objects.create(code="test_lost_cover", name="测试井盖丢失", unit=aw.units["property"])
    Grid.objects.create(community=aw.communities["e1"], number=9, name="东一第9网格")
    response = client.get(LIST)
    assert "测试井盖丢失" in options(response, "category")
    assert "东一社区 东一第9网格" in options(response, "grid")


def test_it_drops_a_renamed_organisation_from_the_filter_at_once(aw, login):
    client = login(aw.users["secretary"])
    assert "东一物业服务中心" in options(client.get(LIST), "organisation")
    org = aw.orgs["property"]
    org.name = "东一物业（新）"
    org.save()
    labels = options(client.get(LIST), "organisation")
    assert "东一物业（新）" in labels and "东一物业服务中心" not in labels


def test_it_never_shows_a_handler_the_drop_downs_of_another_organisation(aw, login):
    """Two handlers of the same role and no area: their organisations make their scopes differ."""
    UnitBinding.objects.create(community=aw.communities["e2"], unit=aw.units["water"], organisation=aw.orgs["water"])
    water = options(login(aw.users["water_handler"]).get(LIST), "community")
    assert "东二社区" in water
    e2_property = options(login(aw.users["e2_handler"]).get(LIST), "community")
    assert e2_property == ["全部", "东二社区"]
    # and after the e2 handler filled the cache, the water handler still gets their own list
    assert options(login(aw.users["water_handler"]).get(LIST), "community") == water


def test_it_forgets_the_list_when_a_handler_joins_an_organisation(aw, login):
    handler = aw.users["e2_handler"]
    client = login(handler)
    assert "东一社区" not in options(client.get(LIST), "community")
    Organisation.objects.get(pk=aw.orgs["water"].pk).handlers.add(handler)
    assert "东一社区" in options(login(handler).get(LIST), "community")


def test_it_counts_every_tab_in_one_statement_with_the_same_numbers(aw, login):
    new_appeal(aw)
    new_appeal(aw)
    sent = services.dispatch(new_appeal(aw), aw.units["property"], actor=SYSTEM)
    assert sent.assigned_org_id
    client = login(aw.users["secretary"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"tab": "dispatch"})
    counts = {t["code"]: t["count"] for t in response.context["tabs"]}
    assert counts == {"dispatch": 2, "overdue": 0, "reply": 0, "all": None}
    assert response.context["page"].paginator.count == 2
    counted = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"] and "appeals_appeal" in q["sql"]]
    assert len(counted) == 1, counted
    # filtered, the page counts its own rows; the tab keeps its total
    response = client.get(LIST, {"tab": "dispatch", "q": "没有这样的诉求"})
    assert response.context["page"].paginator.count == 0
    assert {t["code"]: t["count"] for t in response.context["tabs"]}["dispatch"] == 2


def test_a_chosen_drop_down_is_checked_against_the_cached_rows_without_a_query(aw, login):
    """pagecache.known_choice: the same ids pass and are refused as through the scoped querysets, the null choice
    (未分类) included, and another scope's cached rows never let a handler through."""
    import re

    from linli.appeals.models import Appeal

    appeal = new_appeal(aw)
    new_appeal(aw)
    Appeal.objects.filter(pk=appeal.pk).update(category=None)
    client = login(aw.users["secretary"])
    client.get(LIST, {"tab": "all"})  # fills the cache
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"tab": "all", "category": "null", "grid": aw.grids["g1"].pk})
    assert response.context["filter"].form.errors == {}
    assert [a.pk for a in response.context["page"].object_list] == [appeal.pk]
    checks = [
        q["sql"] for q in ctx.captured_queries if re.search(r'"(areas_grid|appeals_category)"\."id" = \d', q["sql"])
    ]
    assert checks == []
    refused = client.get(LIST, {"tab": "all", "grid": "999999", "organisation": "x"})
    assert set(refused.context["filter"].form.errors) == {"grid", "organisation"}
    # the water handler's organisation serves no community of e2: the e2 handler's cached list knows it, theirs not
    e2 = login(aw.users["e2_handler"]).get(LIST, {"community": aw.communities["e2"].pk})
    assert e2.context["filter"].form.errors == {}
    water = login(aw.users["water_handler"]).get(LIST, {"community": aw.communities["e2"].pk})
    assert "community" in water.context["filter"].form.errors


def _without_tokens(html: str) -> str:
    import re

    return re.sub(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', r"\1", html)


@pytest.mark.parametrize("who", ["secretary", "dept_handler", "water_handler", "street_admin", "grid_worker_1"])
def test_the_unfiltered_page_is_the_page_the_filterset_draws(aw, login, monkeypatch, who):
    """Unfiltered, the page skips the FilterSet, reads its tab through the statements kept per process and serves
    the scope's cached filter markup: for every tab of each role, the same page, byte for byte (but the CSRF token),
    as with the FilterSet built over the tab's queryset and the markup drawn afresh."""
    from django.utils import timezone

    from linli.appeals.queues import tabs_for
    from linli.appeals.views_queues import AppealListView
    from linli.core import pagecache
    from linli.core.audit import actor_of

    new_appeal(aw)
    working = services.sign(services.dispatch(new_appeal(aw), aw.units["property"], actor=SYSTEM), actor=SYSTEM)
    services.request_assist(services.dispatch(new_appeal(aw), aw.units["property"], actor=SYSTEM), aw.units["water"],
                            actor=SYSTEM, note="查一下水管")  # fmt: skip
    returned = services.dispatch(new_appeal(aw, building="b2"), aw.units["property"], actor=SYSTEM)
    services.return_appeal(returned, actor=actor_of(aw.users["dept_handler"]), reason="不归本单位管")
    Appeal.objects.filter(pk=working.pk).update(current_due=timezone.now() - datetime.timedelta(hours=1))
    user = aw.users[who]
    client = login(user)
    fast = {}
    for tab in tabs_for(user):
        client.get(LIST, {"tab": tab})  # fills the caches
        fast[tab] = client.get(LIST, {"tab": tab})
    monkeypatch.setattr(AppealListView, "lazy_filter", False)
    monkeypatch.setattr(pagecache, "RENDERED_MAX", 0)
    pagecache._RENDERED.clear()
    for tab, page in fast.items():
        slow = client.get(LIST, {"tab": tab})
        assert _without_tokens(page.content.decode()) == _without_tokens(slow.content.decode()), tab
    if who == "secretary":
        assert 'name="status" value="pending_dispatch"' in fast["dispatch"].content.decode()


def test_the_served_filter_markup_is_the_scopes_own_and_shows_a_change_at_once(aw, login):
    UnitBinding.objects.create(community=aw.communities["e2"], unit=aw.units["water"], organisation=aw.orgs["water"])
    e1 = f'<option value="{aw.communities["e1"].pk}">东一社区</option>'
    assert e1 in login(aw.users["water_handler"]).get(LIST).content.decode()
    # the e2 handler after the water handler filled the cache: their own markup, without 东一社区
    e2_client = login(aw.users["e2_handler"])
    assert e1 not in e2_client.get(LIST).content.decode()
    Category.objects.create(code="test_lost_cover", name="测试井盖丢失", unit=aw.units["property"])
    assert "测试井盖丢失" in e2_client.get(LIST).content.decode()


def test_the_rows_read_no_deferred_column(aw, login):
    """The page reads only the columns a row shows (rows.ROW_VALUES): a row that needed another would load
    it with a query of its own (`WHERE id = …`), one per row."""
    import re

    from django.utils import timezone

    from linli.areas.models import Household
    from linli.core.audit import actor_of

    handler = aw.users["dept_handler"]
    household = Household.objects.filter(building=aw.buildings["b1"]).first()
    new_appeal(aw, household=household, urgency="urgent")
    sent = services.dispatch(new_appeal(aw), aw.units["property"], actor=SYSTEM)
    services.return_appeal(sent, actor=actor_of(handler), reason="不归本单位管")
    working = services.dispatch(new_appeal(aw), aw.units["property"], actor=SYSTEM)
    services.sign(working, actor=actor_of(handler))
    Appeal.objects.filter(pk=working.pk).update(supervised=True, current_due=timezone.now())
    pages = [("secretary", tab) for tab in ("dispatch", "overdue", "reply", "all")] + [("dept_handler", "unit")]
    deferred = re.compile(r'WHERE "(appeals_appeal|appeals_category|areas_community|areas_building|'
                          r'appeals_handlingunit|appeals_organisation)"\."id" = \d+ LIMIT')  # fmt: skip
    for who, tab in pages:
        client = login(aw.users[who])
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST, {"tab": tab})
        assert response.status_code == 200
        assert [q["sql"] for q in ctx.captured_queries if deferred.search(q["sql"])] == [], tab
        assert len(response.context["page"].object_list) or tab in ("overdue", "reply")


@pytest.mark.parametrize("who", ["secretary", "street_admin", "staff", "grid_worker_1", "dept_handler", "e2_handler"])
def test_the_rows_read_as_values_are_the_markup_of_the_model_instances(aw, login, who):
    """rows.queue_rows (values, no model instances; issue 20) writes every tab's rows as the model instances with
    their select_related and prefetched households did, for each role: same rows, order and markup."""
    from django.utils import timezone

    from linli.appeals.duplicates import mark_voices
    from linli.appeals.queues import Queues, queue_queryset, tabs_for
    from linli.appeals.rows import appeal_rows, row_values, statement_rows
    from linli.appeals.views_queues import ROW_PREFETCH, ROW_RELATED, mark_due, mark_needs_review
    from linli.areas.models import Household
    from linli.core.audit import actor_of
    from linli.core.views import count_each

    handler = aw.users["dept_handler"]
    household = Household.objects.filter(building=aw.buildings["b1"]).first()
    new_appeal(aw, household=household, urgency="urgent", address="东门<旁>")
    Appeal.objects.filter(pk=new_appeal(aw, building=None, community=aw.communities["e1"], address="路口").pk).update(
        category=None
    )
    returned = services.dispatch(new_appeal(aw, building="b2"), aw.units["property"], actor=SYSTEM)
    services.return_appeal(returned, actor=actor_of(handler), reason="不归本单位管<b>")
    working = services.dispatch(new_appeal(aw, household=household), aw.units["property"], actor=SYSTEM)
    services.sign(working, actor=actor_of(handler))
    services.dispatch(new_appeal(aw, building="b3"), aw.units["property"], actor=SYSTEM)
    dup, main = new_appeal(aw), new_appeal(aw, text="楼道灯不亮了，黑灯瞎火的")
    services.merge_appeal(dup, main, actor=SYSTEM)
    Appeal.objects.filter(pk=working.pk).update(supervised=True, current_due=timezone.now())
    user, now = aw.users[who], timezone.now()
    queues = Queues(user, now)
    listed = []
    for tab in tabs_for(user):
        qs = queue_queryset(user, tab, now)
        models = list(qs.select_related(*ROW_RELATED).prefetch_related(*ROW_PREFETCH))
        values = queue_rows(qs)
        assert [a.pk for a in models] == [a.pk for a in values], tab
        # the statements kept per process: the queryset's own SQL, rows and count
        ids = queues.count_statement(tab)
        assert (ids.sql, tuple(ids.params)) == qs.order_by().values("pk").query.sql_with_params(), tab
        assert count_each({tab: ids}) == {tab: len(models)}, tab
        kept = statement_rows(queues.statement(tab, "rows:0:30", lambda queryset: row_values(queryset[0:30])))
        assert [a.pk for a in kept] == [a.pk for a in values], tab
        listed += values
        for rows in (models, values, kept):
            mark_due(rows, now)
            mark_voices(rows)
            if tab == "dispatch":
                mark_needs_review(rows)
        for bulk in (True, False):
            assert appeal_rows(values, tab=tab, bulk=bulk) == appeal_rows(models, tab=tab, bulk=bulk), (tab, bulk)
            assert appeal_rows(kept, tab=tab, bulk=bulk) == appeal_rows(models, tab=tab, bulk=bulk), (tab, bulk)
    assert listed and (who == "e2_handler" or any(a.household for a in listed))
    assert login(user).get(LIST).status_code == 200


# --- the tabs' statements kept per process (queues.Queues, linli.core.statements) -----------------------------------


def own_client(user):
    """A client of its own (the `login` fixture logs its one client in again)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def tab_counts(client, tab=None):
    response = client.get(LIST, {"tab": tab} if tab else {})
    assert response.status_code == 200
    listed = {a.number for a in response.context["page"].object_list}
    return {t["code"]: t["count"] for t in response.context["tabs"]}, listed


def test_a_new_appeal_is_counted_and_listed_at_once(aw, login):
    client = login(aw.users["secretary"])
    before, _ = tab_counts(client, "dispatch")  # keeps the tab's statements
    appeal = new_appeal(aw)
    after, listed = tab_counts(client, "dispatch")
    assert after["dispatch"] == before["dispatch"] + 1 and appeal.number in listed


def test_a_handlers_counts_follow_dispatch_assistance_and_resolution_at_once(aw):
    from linli.appeals.choices import Outcome

    mine, water = own_client(aw.users["dept_handler"]), own_client(aw.users["water_handler"])
    assert tab_counts(mine)[0]["unit"] == 0 and tab_counts(water)[0]["unit"] == 0
    sent = services.dispatch(new_appeal(aw), aw.units["property"], actor=SYSTEM)
    assert tab_counts(mine) == ({"unit": 1, "overdue": 0, "all": None}, {sent.number})
    assert tab_counts(water)[0]["unit"] == 0
    services.request_assist(sent, aw.units["water"], actor=SYSTEM, note="查一下水管")  # 协办: another statement
    assert tab_counts(water) == ({"unit": 1, "overdue": 0, "all": None}, {sent.number})
    services.sign(sent, actor=SYSTEM)
    assert tab_counts(mine)[0]["unit"] == tab_counts(water)[0]["unit"] == 1
    services.resolve(sent, actor=SYSTEM, outcome=Outcome.SOLVED, resolution="已修好")
    assert tab_counts(mine) == ({"unit": 0, "overdue": 0, "all": None}, set())
    assert tab_counts(water) == ({"unit": 0, "overdue": 0, "all": None}, set())


def test_another_units_appeals_are_never_counted(aw):
    """Two handlers of the same role, each kept statements filled before the other's appeals arrive."""
    e1, e2 = own_client(aw.users["dept_handler"]), own_client(aw.users["e2_handler"])
    assert tab_counts(e2)[0]["unit"] == tab_counts(e1)[0]["unit"] == 0
    ours = services.dispatch(new_appeal(aw), aw.units["property"], actor=SYSTEM)
    theirs = services.dispatch(new_appeal(aw, building="b3"), aw.units["property"], actor=SYSTEM)
    assert ours.assigned_org == aw.orgs["property"] and theirs.assigned_org == aw.orgs["e2_property"]
    assert tab_counts(e1) == ({"unit": 1, "overdue": 0, "all": None}, {ours.number})
    assert tab_counts(e2) == ({"unit": 1, "overdue": 0, "all": None}, {theirs.number})


def test_an_appeal_past_its_deadline_is_counted_overdue_without_any_write(aw, login, monkeypatch):
    from django.utils import timezone

    sent = services.dispatch(new_appeal(aw), aw.units["property"], actor=SYSTEM)
    due = timezone.now() + datetime.timedelta(minutes=1)
    Appeal.objects.filter(pk=sent.pk).update(current_due=due)
    client = login(aw.users["dept_handler"])
    assert tab_counts(client, "overdue") == ({"unit": 1, "overdue": 0, "all": None}, set())
    later = due + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert tab_counts(client, "overdue") == ({"unit": 1, "overdue": 1, "all": None}, {sent.number})


def test_a_queue_page_reads_the_shared_cache_twice(aw, login, monkeypatch):
    """The versions of everything the page keeps (one round trip) and the unread count: the per-user facts and the
    statements are the process's own (a page made nine round trips to Redis: docs/benchmarks.md)."""
    from django.core.cache import caches

    services.dispatch(new_appeal(aw), aw.units["property"], actor=SYSTEM)
    client = login(aw.users["dept_handler"])
    client.get(LIST)
    client.get(LIST)
    backend = type(caches["default"])
    reads, inside = [], []

    def counted(method):
        def read(self, *args, **kwargs):
            if not inside:  # the local-memory cache's get_many calls its get
                reads.append((method.__name__, args[0]))
            inside.append(1)
            try:
                return method(self, *args, **kwargs)
            finally:
                inside.pop()

        return read

    for name in ("get", "get_many"):
        monkeypatch.setattr(backend, name, counted(getattr(backend, name)))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST).status_code == 200
    assert len(reads) == 2, reads
    assert not [q["sql"] for q in ctx.captured_queries if "accounts_areaassignment" in q["sql"]]
