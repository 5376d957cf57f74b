"""linli.core.numbering: serials per series and year, no gap after a rollback, a start for older documents, and
(on PostgreSQL) consecutive serials for callers numbering at once."""

import pytest
from django.db import connection, transaction

from linli.core.numbering import last_number, next_number
from linli.core.testing_db import race


def take(key, year, **kw):
    with transaction.atomic():
        return next_number(key, year, **kw)


@pytest.mark.django_db
def test_each_series_counts_per_year_from_one():
    assert [take("reports:a", 2026) for _ in range(3)] == [1, 2, 3]
    assert take("reports:a", 2027) == 1  # a new year starts again
    assert take("reports:b", 2026) == 1  # another series has its own counter
    assert take("reports:a", 2026) == 4
    assert last_number("reports:a", 2026) == 4 and last_number("reports:a", 2027) == 1
    assert last_number("reports:none", 2026) == 0


@pytest.mark.django_db
def test_a_rolled_back_document_gives_its_number_back():
    assert take("cases:1", 2026) == 1

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        assert next_number("cases:1", 2026) == 2
        raise Refused
    assert take("cases:1", 2026) == 2


@pytest.mark.django_db
def test_the_start_continues_after_documents_numbered_before_the_counter():
    calls = []

    def start():
        calls.append(1)
        return 7

    assert take("old:1", 2026, start=start) == 8
    assert take("old:1", 2026, start=start) == 9
    assert calls == [1]  # asked only when the year's row is created


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_callers_at_once_get_one_to_n_without_gap_or_duplicate():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    n = 12

    def work(i):
        # half start the year's counter at the same moment as the others lock it
        return take("race:1", 2026, start=lambda: 0)

    results, refusals, failures = race(n, work)
    assert failures == [] and refusals == []
    assert sorted(results) == list(range(1, n + 1))
    assert last_number("race:1", 2026) == n
