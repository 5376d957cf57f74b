"""A list page's filter fields written in Python (linli.core.renderers.filter_fields_html) are the markup of the
template loops they replaced, and the per-process markup cache (linli.core.pagecache.rendered) is keyed by scope and
versions: one scope's markup is never another's, a change of the rows shows at once, nothing is kept from inside a
transaction the code opened."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.http import QueryDict
from django.template import Context, Template
from django.utils import timezone

from linli.appeals.filtersets import CHOICE_GROUPS, AppealFilterSet, filter_scope
from linli.appeals.models import Appeal
from linli.appeals.rows import LIGHT_SELECTS
from linli.core import pagecache, versioned
from linli.core.renderers import filter_fields_html
from linli.residents.filtersets import LIST_GROUPS, LIST_SELECTS, ResidentFilterSet
from linli.residents.models import Resident

pytestmark = pytest.mark.django_db

#: the loops as appeal_list.html and resident_list.html wrote them before filter_fields_html
APPEAL_LOOP = Template(
    '{% for field in filter.form %}{% if field.name == "status" %}<fieldset class="status-choices"><legend>'
    "{{ field.label }}</legend>{% for box in field %}<label>{{ box.tag }} {{ box.choice_label }}</label>{% endfor %}"
    '</fieldset>{% elif field.name != "q" %}<label>{{ field.label }}{{ field }}{% if field.errors %}'
    '<small class="errorlist">{{ field.errors|join:" " }}</small>{% endif %}</label>{% endif %}{% endfor %}'
)
RESIDENT_LOOP = Template(
    '{% for field in filter.form %}{% if field.name != "q" %}<label>{{ field.label }}{{ field }}</label>{% endif %}'
    "{% endfor %}"
)

APPEAL_DATA = [
    "",
    "status=pending_dispatch&status=in_progress&category=null&urgency=urgent",
    "grid=999999&received_from=2026-13-01&organisation=x&q=<b>灯</b>",
    "community={e1}&grid={g1}&building={b1}&overdue=1&rating=good&received_to=2026-03-01",
]
RESIDENT_DATA = ["status=active", "grid={g1}&tag=999999&min_age=200&sex=F", "community={e1}&building={b1}&q=张"]


def _data(template: str, world) -> QueryDict:
    ids = {"e1": world.communities["e1"].pk, "g1": world.grids["g1"].pk, "b1": world.buildings["b1"].pk}
    return QueryDict(template.format(**ids))


@pytest.mark.parametrize("query", APPEAL_DATA)
@pytest.mark.parametrize("light", [False, True])
def test_the_appeal_filter_fields_are_the_templates_markup(aw, query, light):
    user = aw.users["secretary"]
    filterset = AppealFilterSet(_data(query, aw), Appeal.objects.restrict(user), user=user, now=timezone.now())
    if light:
        pagecache.light_choices(
            filterset.form, LIGHT_SELECTS, name="t", groups=CHOICE_GROUPS, scope=filter_scope(user), validate=True
        )
    filterset.form.is_valid()
    expected = APPEAL_LOOP.render(Context({"filter": filterset}))
    assert filter_fields_html(filterset.form, fieldsets={"status": "status-choices"}) == expected
    assert ("errorlist" in expected) == ("999999" in query)


@pytest.mark.parametrize("query", RESIDENT_DATA)
def test_the_resident_filter_fields_are_the_templates_markup(world, query):
    user = world.users["street_admin"]
    filterset = ResidentFilterSet(_data(query, world), Resident.objects.restrict(user), user=user)
    pagecache.light_choices(
        filterset.form, LIST_SELECTS, name="t", groups=LIST_GROUPS, scope=pagecache.scope_key(user), validate=True
    )
    filterset.form.is_valid()
    assert filter_fields_html(filterset.form, errors=False) == RESIDENT_LOOP.render(Context({"filter": filterset}))


def test_rendered_is_kept_per_scope_and_version(db):
    calls = []

    def compute(text):
        def run():
            calls.append(text)
            return text

        return run

    assert pagecache.rendered("t", ("areas",), "scope-a", compute("a")) == "a"
    assert pagecache.rendered("t", ("areas",), "scope-b", compute("b")) == "b"  # never scope a's
    assert pagecache.rendered("t", ("areas",), "scope-a", compute("again")) == "a"  # kept
    pagecache.bump("areas")
    assert pagecache.rendered("t", ("areas",), "scope-a", compute("new")) == "new"  # a change shows at once
    assert calls == ["a", "b", "new"]
    versioned.forget_all()
    assert pagecache.rendered("t", ("areas",), "scope-a", compute("forgotten")) == "forgotten"


def test_rendered_keeps_nothing_from_inside_a_transaction(db):
    with transaction.atomic():
        assert pagecache.rendered("t", ("areas",), "s", lambda: "inside") == "inside"
    assert pagecache.rendered("t", ("areas",), "s", lambda: "after") == "after"


def test_rendered_is_bounded(db, monkeypatch):
    monkeypatch.setattr(pagecache, "RENDERED_MAX", 3)
    for i in range(5):
        pagecache.rendered("t", ("areas",), f"s{i}", lambda i=i: str(i))
    assert len(pagecache._RENDERED) == 3
    assert pagecache.rendered("t", ("areas",), "s0", lambda: "recomputed") == "recomputed"
