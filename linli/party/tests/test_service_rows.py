"""党员服务汇总's rows written in Python (linli/party/rows.py) are the markup of the template loop they replaced."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from linli.party.rows import service_rows_html

pytestmark = pytest.mark.django_db

#: The loop of party/service_summary.html before 2026-12-07, kept as the yardstick.
TEMPLATE_LOOP = '{% for m, f in page %}\n    <tr>{% if street_wide %}<td>{{ m.community.name }}</td>{% endif %}<td>{% url \'party:member_detail\' m.pk as member_url %}{% if member_url %}<a href="{{ member_url }}">{{ m.name }}</a>{% else %}{{ m.name }}{% endif %}</td><td>{{ m.branch.name|default:"—" }}</td><td>{{ m.get_status_display }}</td><td>{% if m.work_unit_id %}{{ m.work_unit.name }}{% else %}{{ m.work_unit_name|default:"—" }}{% endif %}</td><td>{{ f.volunteer_hours|floatformat:"-1" }}</td><td>{{ f.activities }}</td><td>{{ f.wishes_claimed }}/{{ f.wishes_fulfilled }}</td><td>{{ f.pairings }}</td><td>{{ f.contacts }}</td><td>{{ f.meetings_attended }}/{{ f.meetings_expected }}{% if f.attendance_rate is not None %}（{{ f.attendance_rate }}%）{% endif %}</td></tr>\n  {% empty %}<tr><td colspan="11" class="muted">没有符合条件的党员。</td></tr>{% endfor %}'


@pytest.mark.parametrize("who", ["secretary", "grid_worker_1", "street_admin"])
@pytest.mark.parametrize("year", [2026, 2025])
def test_the_rows_are_the_template_loops_markup(client, pw, who, year):
    client.force_login(pw.users[who])
    response = client.get(reverse("party:service_summary"), {"year": year})
    rows = list(response.context["page"].object_list)
    assert rows
    for street_wide in (True, False):
        expected = Template(TEMPLATE_LOOP).render(Context({"page": rows, "street_wide": street_wide}))
        assert service_rows_html(rows, street_wide=street_wide) == expected
    assert str(service_rows_html(rows, street_wide=response.context["street_wide"])) in response.content.decode()


def test_no_member_says_so_as_before():
    expected = Template(TEMPLATE_LOOP).render(Context({"page": [], "street_wide": True}))
    assert service_rows_html([], street_wide=True) == expected
