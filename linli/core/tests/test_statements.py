"""linli.core.statements: a queryset's SQL compiled once per key and process, the request's time put among its
parameters; its rows read and converted as the queryset reads them."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from linli.core import statements, versioned
from linli.core.excel.exports import record_export
from linli.core.models import ExportRecord

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def records():
    user = get_user_model().objects.create(username="statements")
    made = []
    for days, masked in ((3, True), (1, False), (-1, True)):
        record = record_export(user, "residents_xlsx", row_count=0, filters={"社区": days}, masked=masked)
        ExportRecord.objects.filter(pk=record.pk).update(at=NOW - datetime.timedelta(days=days))
        made.append(record)
    return made


class Build:
    """ExportRecords before `now`, as values_list; counts its calls."""

    def __init__(self, shift=None):
        self.calls, self.shift = 0, shift

    def __call__(self, now):
        self.calls += 1
        if self.shift:
            now = now - self.shift
        return ExportRecord.objects.filter(at__lt=now).order_by("at", "id").values_list("id", "at", "masked", "filters")


def fresh(build, now):
    return build(now).query.sql_with_params()


def test_it_compiles_once_per_key_and_puts_each_requests_time_in_its_parameters(records):
    build = Build()
    first = statements.compiled(ExportRecord, ("before",), build, NOW)
    calls = build.calls
    later = NOW + datetime.timedelta(days=2)
    second = statements.compiled(ExportRecord, ("before",), build, later)
    assert build.calls == calls  # not built again
    assert (first.sql, tuple(first.params)) == fresh(build, NOW)
    assert (second.sql, tuple(second.params)) == fresh(build, later)
    assert [row[0] for row in second.rows()] == [r.pk for r in records]


def test_its_rows_are_the_querysets_values_converted_alike(records):
    build = Build()
    rows = statements.compiled(ExportRecord, ("before",), build, NOW).rows()
    assert [tuple(row) for row in rows] == list(build(NOW))
    assert isinstance(rows[0][1], datetime.datetime) and rows[0][2] is True and rows[0][3] == {"社区": 3}
    assert statements.compiled(ExportRecord, ("before",), build, NOW).names == ("id", "at", "masked", "filters")


def test_a_build_that_changes_the_time_is_compiled_afresh_each_time(records):
    build = Build(shift=datetime.timedelta(days=2))
    first = statements.compiled(ExportRecord, ("shifted",), build, NOW)
    calls = build.calls
    later = NOW + datetime.timedelta(days=2)
    second = statements.compiled(ExportRecord, ("shifted",), build, later)
    assert build.calls > calls
    assert (first.sql, tuple(first.params)) == fresh(build, NOW)
    assert (second.sql, tuple(second.params)) == fresh(build, later)
    assert [row[0] for row in second.rows()] == [records[0].pk, records[1].pk]


def test_one_that_can_match_nothing_is_none(records):
    assert (
        statements.compiled(ExportRecord, ("none",), lambda now: ExportRecord.objects.none().values("pk"), NOW) is None
    )


def test_only_values_may_be_compiled(records):
    with pytest.raises(ValueError):
        statements.compiled(ExportRecord, ("instances",), lambda now: ExportRecord.objects.filter(at__lt=now), NOW)


def test_the_kept_statements_are_bounded_and_forgotten_with_the_rest(records, monkeypatch):
    monkeypatch.setattr(statements, "MAX", 2)
    for n in range(4):
        statements.compiled(ExportRecord, ("n", n), Build(), NOW)
    assert len(statements._KEPT) == 2
    versioned.forget_all()
    assert not statements._KEPT
