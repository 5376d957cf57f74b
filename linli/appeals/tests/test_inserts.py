"""linli.core.inserts.insert_sql: the values it sends are those Django's own save() would send (get_db_prep_save of
each field's pre_save), also where it keeps a plain value as it is instead of calling get_db_prep_save."""

from __future__ import annotations

import datetime
import decimal

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy

from linli.appeals.choices import Channel, EventAction, Status
from linli.appeals.models import Appeal, AppealEvent
from linli.core import inserts

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch):
    """auto_now(_add) fields take the same time in insert_sql and in the reference below."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def djangos_params(obj) -> list:
    """What Model.save()'s compiler would send for obj's fields, NULLs and RawSQL left out as insert_sql does."""
    meta = obj._meta
    fields = [f for f in meta.local_concrete_fields if not getattr(f, "generated", False)]
    if obj.pk is None:
        fields = [f for f in fields if f is not meta.auto_field]
    params = []
    for f in fields:
        value = f.pre_save(obj, True)
        if isinstance(value, RawSQL):
            params.extend(value.params)
            continue
        value = f.get_db_prep_save(value, connection=connection)
        if value is not None:
            params.append(value)
    return params


def an_appeal(aw, **changes) -> Appeal:
    appeal = Appeal(
        text="楼道灯坏了",
        channel=Channel.API,
        category=aw.category("corridor_light"),
        urgency="normal",
        reporter_name="王",
        received_at=NOW,
        status=Status.PENDING_DISPATCH,
        community=aw.communities["e1"],
        building=aw.buildings["b1"],
        street_id=aw.communities["e1"].street_id,
    )
    for name, value in changes.items():
        setattr(appeal, name, value)
    return appeal


@pytest.mark.parametrize(
    "changes",
    [
        {},
        # values of other types than the plain ones go through get_db_prep_save as before
        {"reporter_name": gettext_lazy("匿名"), "reopen_count": decimal.Decimal("2"), "supervised": 1},
        pytest.param(
            {"received_at": datetime.datetime(2026, 12, 1, 9, 30)},  # naive: Django's warning and conversion
            marks=pytest.mark.filterwarnings("ignore:DateTimeField Appeal.received_at received a naive"),
        ),
        {"received_at": NOW.date().isoformat() + " 08:00:00+08:00"},
        {"reopen_count": "3", "anonymous": 0},
    ],
)
def test_its_values_are_djangos(aw, changes):
    appeal = an_appeal(aw, **changes)
    sql, params = inserts.insert_sql(appeal)
    assert params == djangos_params(appeal)
    assert [type(p) for p in params] == [type(p) for p in djangos_params(appeal)]
    assert sql.count("%s") == len(params)


def test_an_event_with_a_raw_parent_id_and_returning(aw):
    event = AppealEvent(
        appeal_id=inserts.parent_id("new_appeal"),
        actor=aw.users["secretary"],
        actor_label="书记",
        action=EventAction.CREATED,
        to_status=Status.PENDING_DISPATCH,
        note="来源：接口",
    )
    sql, params = inserts.insert_sql(event, returning=[AppealEvent._meta.pk])
    assert params == djangos_params(event)
    assert "(SELECT id FROM new_appeal)" in sql and "RETURNING" in sql


def test_the_row_written_equals_a_save(aw):
    saved = an_appeal(aw, number="X-1")
    saved.save()
    written = an_appeal(aw, number="X-2", received_at=saved.received_at)
    sql, params = inserts.insert_sql(written, returning=[Appeal._meta.pk])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (pk,) = cursor.fetchone()
    skip = {"id", "number", "created_at", "updated_at"}
    columns = [f.attname for f in Appeal._meta.concrete_fields if f.attname not in skip]
    assert Appeal.objects.values(*columns).get(pk=pk) == Appeal.objects.values(*columns).get(pk=saved.pk)


# --- execute_returning: the statement prepared on PostgreSQL -------------------------------------------------------


@pytest.fixture
def fresh_session(settings):
    """No statement prepared on this connection yet (prepared statements outlive a test's rolled-back transaction)."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    settings.LINLI_PG_PREPARED = True
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    inserts._prepared_on.pop(connection.connection, None)
    yield
    inserts._preparing = True


def _prepared_inserts() -> list[tuple]:
    """This connection's prepared statements that insert appeals: (name, times executed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s ORDER BY name",
            ['%INSERT INTO "appeals_appeal"%'],
        )
        return cursor.fetchall()


def _create(aw, text="楼道灯坏了"):
    from linli.appeals.tests.conftest import new_appeal

    return new_appeal(aw, text=text)


def test_an_appeals_insert_is_prepared_once_per_connection_and_run_by_name(aw, fresh_session):
    with CaptureQueriesContext(connection) as captured:
        first, second = _create(aw), _create(aw, "水管漏水")
    [(name, executions)] = _prepared_inserts()
    assert executions == 2 and name.startswith("linli_")
    sent = [q["sql"] for q in captured.captured_queries if name in q["sql"]]
    # once per connection: is it on the server already, prepare it; then each create runs it by name
    assert [sql.split(" ", 1)[0] for sql in sent] == ["SELECT", "PREPARE", "EXECUTE", "EXECUTE"]
    assert "楼道灯坏了" in sent[2] and "水管漏水" in sent[3]  # the query log shows each create's values
    assert second.pk > first.pk and second.number.endswith(f"{second.pk:05d}")
    events = AppealEvent.objects.filter(appeal__in=[first, second])
    assert sorted(events.values_list("appeal_id", flat=True)) == [first.pk, second.pk]


def test_a_name_already_on_the_server_is_the_same_statement_and_is_run(aw, fresh_session):
    _create(aw)
    inserts._prepared_on.pop(connection.connection)  # as a pooler's other client would find it: prepared, not by us
    appeal = _create(aw, "水管漏水")
    [(_, executions)] = _prepared_inserts()
    assert executions == 2 and Appeal.objects.get(pk=appeal.pk).text == "水管漏水"


def test_with_preparing_off_it_is_sent_as_every_statement(aw, fresh_session, settings):
    settings.LINLI_PG_PREPARED = False
    appeal = _create(aw)
    assert _prepared_inserts() == []
    assert Appeal.objects.get(pk=appeal.pk).number == appeal.number


def test_a_statement_lost_by_a_pooler_inside_a_transaction_fails_that_write_and_stops_preparing(
    aw, fresh_session, caplog
):
    from django.db import ProgrammingError

    _create(aw)
    [(name, _)] = _prepared_inserts()
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {name}")  # a pooler ran our next transaction on another server connection
    before = Appeal.objects.count()
    with pytest.raises(ProgrammingError):
        _create(aw, "水管漏水")
    assert Appeal.objects.count() == before
    assert "LINLI_PG_PREPARED=off" in caplog.text
    assert Appeal.objects.get(pk=_create(aw, "电梯异响").pk).text == "电梯异响"  # the next write, unprepared
    assert _prepared_inserts() == []


@pytest.mark.django_db(transaction=True)
def test_a_statement_lost_by_a_pooler_outside_a_transaction_is_sent_again_unprepared(aw, fresh_session, caplog):
    _create(aw)
    [(name, _)] = _prepared_inserts()
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {name}")
    appeal = _create(aw, "水管漏水")
    assert Appeal.objects.get(pk=appeal.pk).number == appeal.number and appeal.events.count() == 1
    assert not inserts._preparing and "LINLI_PG_PREPARED=off" in caplog.text
