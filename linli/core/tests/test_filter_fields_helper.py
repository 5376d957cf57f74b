"""linli.core.pagecache.FilterFields, the wiring every list page with cached drop-downs shares (the appeals queue, the
resident list): drop-downs drawn from the scope's cached rows, a chosen id checked against them without a query, the
unfiltered markup kept per scope and version, and a lazy FilterSet built only to make that markup."""

from __future__ import annotations

import django_filters
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils.functional import SimpleLazyObject

from linli.core import pagecache
from linli.core.renderers import filter_fields_html

pytestmark = pytest.mark.django_db

GROUPS = ("test_groups",)  # the version group of the drop-down's rows (bumped by hand here)


class PermissionFilterSet(django_filters.FilterSet):
    """Any table will do: permissions and their groups exist in every test database, no app's rows needed."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="搜索")
    group = django_filters.ModelChoiceFilter(
        field_name="group", queryset=Group.objects.none(), label="用户组", empty_label="全部"
    )

    class Meta:
        model = Permission
        fields = ["q", "group"]

    def __init__(self, data=None, queryset=None, *, visible=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["group"].queryset = (visible or Group.objects.all()).order_by("pk")


@pytest.fixture
def groups():
    return {name: Group.objects.create(name=name) for name in ("甲组", "乙组")}


def option(group) -> str:
    return f'<option value="{group.pk}">{group.name}</option>'


def fields(query: str = "", *, scope: str = "s", built: list | None = None, visible=None, **options):
    """A page's FilterFields for `query`; `built` records each build of its (lazy) FilterSet."""
    data = QueryDict(query)

    def build():
        if built is not None:
            built.append(scope)
        return PermissionFilterSet(data, Permission.objects.all(), visible=visible)

    return pagecache.FilterFields(
        SimpleLazyObject(build),
        name="test_filter",
        selects=(("group", False),),
        groups=GROUPS,
        scope=scope,
        unfiltered=not data,
        variants={"group": lambda data: data.get("q", "")},
        **options,
    )


def test_unfiltered_the_markup_is_made_once_per_scope_and_version(groups):
    built = []
    first = fields(built=built).html()
    assert option(groups["甲组"]) in first and option(groups["乙组"]) in first
    again = fields(built=built)
    again.prepare()
    assert again.html() == first
    assert built == ["s"]  # the second page never built its FilterSet
    # another scope (fewer groups visible) gets its own, after "s" filled the cache; "s" keeps its own
    narrow = fields(scope="narrow", built=built, visible=Group.objects.filter(pk=groups["甲组"].pk)).html()
    assert option(groups["甲组"]) in narrow and option(groups["乙组"]) not in narrow
    assert fields(scope="s", built=built).html() == first
    assert built == ["s", "narrow"]
    new = Group.objects.create(name="丙组")
    pagecache.bump(GROUPS[0])  # what invalidate_on does on a save
    assert option(new) in fields(built=built).html()
    assert built == ["s", "narrow", "s"]


def test_a_chosen_drop_down_is_checked_against_the_cached_rows_without_a_query(groups):
    fields().html()  # fills the cache of the scope's rows
    chosen = fields(f"group={groups['乙组'].pk}")
    chosen.prepare()
    assert chosen.lit
    with CaptureQueriesContext(connection) as ctx:
        assert chosen.filterset.form.is_valid()
    assert [q["sql"] for q in ctx.captured_queries if "auth_group" in q["sql"]] == []
    assert chosen.filterset.form.cleaned_data["group"].pk == groups["乙组"].pk
    assert "selected>乙组</option>" in chosen.html()


def test_a_refused_choice_shows_its_error_unless_the_page_hides_errors(groups):
    for options, shown in (({}, True), ({"errors": False}, False)):
        refused = fields("group=999999", **options)
        refused.prepare()
        assert not refused.filterset.form.is_valid()
        assert refused.filterset.form.errors["group"][0].startswith("选择一个有效的选项")
        assert ('<small class="errorlist">' in refused.html()) == shown


def test_filtered_the_markup_is_drawn_afresh_with_the_cached_drop_downs(groups):
    page = fields("q=user")
    page.prepare()
    assert not page.lit  # no drop-down chosen: nothing to check before the form is validated
    page.filterset.form.is_valid()
    html = page.html()
    assert page.lit and not pagecache._RENDERED  # drawn from the cache, but kept only when unfiltered
    direct = PermissionFilterSet(QueryDict("q=user"), Permission.objects.all())
    pagecache.light_choices(
        direct.form, (("group", False),), name="test_filter", groups=GROUPS, scope="s", variants={"group": "user"}
    )
    direct.form.is_valid()
    assert html == filter_fields_html(direct.form)
    assert '<input type="text" name="q" value="user"' not in html  # the search box is the page's own
