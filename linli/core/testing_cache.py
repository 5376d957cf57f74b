"""Test support for answers about a user kept in the shared cache per user (linli.core.pagecache.for_user): whether
the user is a mediator, a party secretary … Every such cache needs the same tests: the answer is read once, one
user's answer never answers for another, and every kind of change takes effect at once.

A cache gets them by one subclass of `PerUserCacheTests` in its app's tests (named Test…, so pytest collects it)::

    class TestMediatorCache(PerUserCacheTests):
        answer = is_mediator
        app_world = "mw"                          # the fixture that makes `holder`'s answer
        holder, other = "volunteer", "grid_worker_2"
        changes = (a_new_mediator_takes_effect_at_once, ...)

Each change is a generator function of (the app's world, the world, `other`'s user): it changes something and
yields what `other`'s answer must be right after, as often as it likes; each runs as a test of its own.

An answer need not be yes or no: `holder_answer` and `other_answer` may be any value, or a function of the app's
world (a staticmethod) when they name its rows, e.g. the ids of a handler's organisations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.contrib.auth import get_user_model


class PerUserCacheTests:
    """Read once, never another user's, forgotten by every change (see the module)."""

    #: the function under test, given a user (a plain function: called through the class, never bound)
    answer: Callable
    #: the name of the fixture that builds the rows behind the answers (the app's test world)
    app_world: str
    #: personas of the world (`world.users`): one the answer is `holder_answer` for, one it is `other_answer` for
    holder: str
    other: str
    #: values, or functions of the app's world (staticmethods) for answers that name its rows
    holder_answer = True
    other_answer = False
    #: generator functions (app world, world, other's user) -> the answers expected after each change
    changes: tuple[Callable[..., Iterator], ...] = ()

    def pytest_generate_tests(self, metafunc):
        if "change" in metafunc.fixturenames:
            metafunc.parametrize("change", self.changes, ids=[change.__name__ for change in self.changes])

    def expected(self, app, which: str):
        """`holder_answer` or `other_answer` (`which`), worked out from the app's world when it is a function."""
        value = getattr(type(self), which)
        return value(app) if callable(value) else value

    def fresh_answer(self, user):
        """The answer for a fresh object of `user`: only the shared cache remembers (not the user object)."""
        return type(self).answer(get_user_model().objects.get(pk=user.pk))

    def test_the_answer_is_read_once_per_user(self, request, world, django_assert_num_queries):
        app = request.getfixturevalue(self.app_world)
        user, expected = world.users[self.holder], self.expected(app, "holder_answer")
        assert self.fresh_answer(user) == expected
        fresh = get_user_model().objects.get(pk=user.pk)
        with django_assert_num_queries(0):
            assert type(self).answer(fresh) == expected

    def test_one_users_answer_never_answers_for_another(self, request, world):
        app = request.getfixturevalue(self.app_world)
        assert self.fresh_answer(world.users[self.holder]) == self.expected(app, "holder_answer")
        assert self.fresh_answer(world.users[self.other]) == self.expected(app, "other_answer")

    def test_a_change_takes_effect_at_once(self, request, world, change):
        app = request.getfixturevalue(self.app_world)
        user = world.users[self.other]
        assert self.fresh_answer(user) == self.expected(app, "other_answer")
        steps = 0
        for expected in change(app, world, user):
            steps += 1
            assert self.fresh_answer(user) == expected, f"after step {steps} of {change.__name__}"
        assert steps, f"{change.__name__} yields no answer to check"
