"""linli.core.pagecache: the per-user facts every page reads are kept in the process too (under the shared entry's key,
versions included), and the groups most pages read come with the request's first version read: a queue page made
nine Redis round trips, now two (the versions and the unread count)."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from django.db import transaction

from linli.core import pagecache, versioned
from linli.core.tests import test_versioned

Fact = test_versioned.Loads  # a compute() counting its calls, returning the count


class CountingCache(test_versioned.CountingCache):
    """django's cache, counting get calls as well as get_many calls."""

    def __init__(self, real):
        super().__init__(real)
        self.get_calls = 0

    def get(self, *args, **kwargs):
        self.get_calls += 1
        return self.real.get(*args, **kwargs)

    @property
    def reads(self) -> int:
        return self.get_calls + self.get_many_calls


@pytest.fixture
def counting(monkeypatch):
    """The shared cache as pagecache and versioned read it, counted."""
    counter = CountingCache(pagecache.cache)
    monkeypatch.setattr(pagecache, "cache", counter)
    monkeypatch.setattr(versioned, "cache", counter)
    yield counter
    versioned._request_finished()


def user(pk=None):
    return SimpleNamespace(pk=pk or uuid.uuid4().int % 10**9)


GROUP = "test_local_facts"


def test_a_fact_is_read_from_the_process_without_a_round_trip_but_its_versions(counting):
    fact, someone = Fact(), user()
    versioned._request_started()
    assert pagecache.for_user("fact", someone, (GROUP,), fact) == 1  # (every version token made on first use)
    versioned._request_finished()
    versioned._request_started()
    before = counting.reads
    assert pagecache.for_user("fact", someone, (GROUP,), fact) == 1
    assert counting.reads - before == 1  # the versions only
    assert pagecache.for_user("fact", someone, (GROUP,), fact) == 1
    assert counting.reads - before == 1  # ... once per request
    assert fact.calls == 1


def test_a_bump_of_the_group_or_of_the_users_own_group_is_seen_at_once(counting, db):
    fact, someone = Fact(), user()
    assert pagecache.for_user("fact", someone, (GROUP,), fact) == 1
    pagecache.bump(GROUP)
    assert pagecache.for_user("fact", someone, (GROUP,), fact) == 2
    versioned.set_new_version(f"{pagecache.PREFIX}v:{pagecache.user_group(someone.pk)}")  # another process's bump
    assert pagecache.for_user("fact", someone, (GROUP,), fact) == 3


def test_one_users_fact_never_answers_for_another():
    one, two = user(1), user(2)
    assert pagecache.for_user("fact", one, (GROUP,), lambda: "one") == "one"
    assert pagecache.for_user("fact", two, (GROUP,), lambda: "two") == "two"
    assert pagecache.for_user("fact", one, (GROUP,), lambda: "wrong") == "one"


def test_the_process_copy_lives_at_most_local_seconds(monkeypatch):
    fact, someone = Fact(), user()
    pagecache.for_user("fact", someone, (GROUP,), fact)
    pagecache.cache.clear()  # the shared entry gone (its versions too: new ones, a new key) ...
    assert pagecache.for_user("fact", someone, (GROUP,), fact) == 2
    key = next(reversed(pagecache._LOCAL))  # the newest copy
    stamp, value = pagecache._LOCAL[key]
    pagecache._LOCAL[key] = (stamp - pagecache.LOCAL_SECONDS - 1, value)  # ... and this copy too old
    pagecache.cache.delete(key)
    assert pagecache.for_user("fact", someone, (GROUP,), fact) == 3


def test_nothing_read_inside_a_transaction_the_code_opened_is_kept(db):
    fact, someone = Fact(), user()
    with transaction.atomic():
        assert pagecache.for_user("fact", someone, (GROUP,), fact) == 1
    assert not pagecache._LOCAL
    assert pagecache.for_user("fact", someone, (GROUP,), fact) == 2


def test_the_copies_are_bounded_and_forgotten_with_the_rest(monkeypatch):
    monkeypatch.setattr(pagecache, "LOCAL_MAX", 3)
    for pk in range(1, 6):
        pagecache.for_user("fact", user(pk), (GROUP,), Fact())
    assert len(pagecache._LOCAL) == 3
    versioned.forget_all()
    assert not pagecache._LOCAL


def test_an_eager_group_comes_with_the_first_version_read_of_a_request(counting):
    group = f"test_eager_{uuid.uuid4().hex}"
    pagecache.eager(group)
    try:
        versioned._request_started()
        pagecache.for_user("fact", user(), ("another_group",), Fact())  # (every version token made on first use)
        versioned._request_finished()
        versioned._request_started()
        pagecache.for_user("fact", user(), ("another_group",), Fact())
        before = counting.reads
        pagecache.cached("list", (group,), "scope", lambda: [1, 2], local=True)
        assert counting.reads - before == 1  # the entry; its version came with the first read
    finally:
        versioned._eager.remove(f"{pagecache.PREFIX}v:{group}")
