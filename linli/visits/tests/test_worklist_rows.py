"""今日走访's rows written in Python (linli/visits/rows.py) are the markup of the template loop they replaced."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from linli.visits.models import VisitAlert
from linli.visits.rows import worklist_rows
from linli.visits.tests.helpers import visit
from linli.visits.views import WORKLIST_PAGE, WorklistView

pytestmark = pytest.mark.django_db

#: The loop of visits/worklist.html before 2026-12-07, kept as the yardstick.
TEMPLATE_LOOP = (
    "{% load residents %}"
    + '{% for r in page %}\n  <li id="due-{{ r.pk }}"{% if r.urgent_since %} class="urgent"{% endif %}>\n    {% if r.urgent_since %}<mark class="urgent-mark">紧急</mark> {% endif %}<strong><a href="{% url \'residents:resident_detail\' r.pk %}">{{ r.name }}</a></strong>\n    {% for t in r.groups %}<span class="tag c-{{ t.color }}">{{ t.name }}</span>{% endfor %}\n    <br>{{ r.building.name }}{{ r.household.entrance }}单元{{ r.household.room }}\n    {% with p=r|shown_phone:user %}{% if p %} · {% if p == r.phone %}<a href="tel:{{ p }}">{{ p }}</a>{% else %}{{ p }}{% endif %}{% endif %}{% endwith %}\n    {% if r.urgent_since %}<br><span class="reason"><mark>走访发现紧急情况（{{ r.urgent_since|date:"n月j日 H:i" }}），请尽快再访，社区处理后解除</mark></span>{% endif %}\n    {% if r.visit_due_on and r.days_overdue >= 0 %}<br><span class="reason">{% if r.days_overdue > 0 %}<mark>逾期{{ r.days_overdue }}天</mark>{% else %}今天到期{% endif %}（每{{ r.visit_interval_days }}天一次{% if r.last_visit_on %}，上次{{ r.last_visit_on|date:"n月j日" }}{% if r.last_outcome == "not_home" %}不在家，需再访{% endif %}{% else %}，尚未走访{% endif %}）</span>{% endif %}\n    {% if can_log %}<div class="toolbar"><a role="button" href="{% url \'visits:visit_log\' r.pk %}">记录走访</a></div>{% endif %}\n  </li>\n{% empty %}\n  <li class="muted">今天没有需要走访的居民。</li>\n{% endfor %}'
)


def page_rows(client, user):
    """The rows and context 今日走访 computed for `user` (the view's own)."""
    response = client.get(reverse("visits:worklist"))
    assert response.status_code == 200
    return response, list(response.context["page"].object_list)


@pytest.mark.parametrize("who", ["grid_worker_1", "secretary", "street_admin", "staff"])
def test_the_rows_are_the_template_loops_markup(world, login, who):
    visit(world.residents["li"], -40, outcome="not_home")  # 10 days overdue, not at home last time
    visit(world.residents["chen"], -9)
    visit(world.residents["zhang"], -7)  # due today
    chen = world.residents["chen"]
    chen.name = "陈<奶奶> & \"'"
    chen.save(update_fields=["name"])
    VisitAlert.objects.create(resident=world.residents["zhang"], reason="urgent")
    user = world.users[who]
    response, rows = page_rows(login(user), user)
    assert rows, "nobody due"
    for can_log in (True, False):
        expected = Template(TEMPLATE_LOOP).render(Context({"page": rows, "user": user, "can_log": can_log}))
        assert worklist_rows(rows, user=user, can_log=can_log) == expected
    assert worklist_rows(rows, user=user, can_log=user.has_role_perm("visit.add")) in response.content.decode()


def test_an_empty_worklist_says_so_as_before(world):
    expected = Template(TEMPLATE_LOOP).render(Context({"page": [], "user": world.users["secretary"], "can_log": True}))
    assert worklist_rows([], user=world.users["secretary"], can_log=True) == expected


def test_the_page_size_is_unchanged():
    assert WORKLIST_PAGE == 50 and WorklistView.template_name == "visits/worklist.html"
