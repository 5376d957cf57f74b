"""座谈议: building table talks; and the hearings panel of a matter's page."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from linli.core.audit import actor_of
from linli.deliberation import panels
from linli.deliberation import services_hearings as services
from linli.deliberation.choices import MatterScope
from linli.deliberation.hearings_panel import panel_context
from linli.deliberation.models import TableTalk
from linli.deliberation.testing_hearings import make_matter, make_meeting, make_questionnaire, make_talk

pytestmark = pytest.mark.django_db


def talk_fields(building, **kwargs):
    fields = dict(building=building, held_on=timezone.localdate(), place="楼下", attendance=5, points="装\n不装")
    return fields | kwargs


def test_a_table_talk_keeps_who_came_and_what_they_said(world):
    matter = make_matter(world.communities["e1"])
    talk = make_talk(matter, world.buildings["b1"], residents=[world.residents["zhang"]])
    assert talk.point_list == ["希望早点装", "担心噪音"]
    assert list(talk.residents.all()) == [world.residents["zhang"]]


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"attendance": None}, "attendance", "请填写来了多少人。"),
        ({"attendance": -1}, "attendance", "来了多少人不能小于0。"),
        ({"points": " \n "}, "points", "请写下大家说了什么（每行一条）。"),
    ],
)
def test_bad_table_talks_are_refused(world, change, field, message):
    matter = make_matter(world.communities["e1"])
    with pytest.raises(ValidationError) as err:
        services.record_table_talk(
            matter, actor=actor_of(world.users["staff"]), **talk_fields(world.buildings["b1"], **change)
        )
    assert err.value.message_dict[field] == [message]
    assert TableTalk.objects.count() == 0


def test_the_building_must_be_in_the_matters_scope_and_the_users(world):
    matter = make_matter(world.communities["e1"], scope=MatterScope.BUILDING, buildings=[world.buildings["b2"]])
    with pytest.raises(ValidationError, match="不在这个议题的范围内"):
        services.record_table_talk(matter, actor=actor_of(world.users["staff"]), **talk_fields(world.buildings["b1"]))
    whole = make_matter(world.communities["e1"])
    with pytest.raises(ValidationError):
        services.record_table_talk(
            whole, actor=actor_of(world.users["grid_worker_2"]), **talk_fields(world.buildings["b1"])
        )
    with pytest.raises(Http404):
        services.record_table_talk(
            make_matter(world.communities["w1"]),
            actor=actor_of(world.users["staff"]),
            **talk_fields(world.buildings["b4"]),
        )


def test_the_talk_pages(client, world):
    matter = make_matter(world.communities["e1"])
    client.force_login(world.users["grid_worker_1"])
    url = reverse("deliberation:talk_add", args=[matter.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"building": world.buildings["b2"].pk, "held_on": "2026-11-30", "attendance": "3", "points": "好"}
    )
    assert response.status_code == 200 and "选项无效" in response.content.decode()  # 2栋 is grid 2's
    response = client.post(
        url,
        {"building": world.buildings["b1"].pk, "held_on": "2026-11-30", "attendance": "3", "points": "好\n再议"},
    )
    talk = TableTalk.objects.get()
    assert response.status_code == 302 and talk.recorded_by == world.users["grid_worker_1"]
    page = client.get(reverse("deliberation:talk_detail", args=[talk.pk])).content.decode()
    assert "再议" in page and "来了多少人" in page


def test_the_panel_shows_the_three_ways_with_add_buttons_for_recorders(world):
    matter = make_matter(world.communities["e1"])
    make_meeting(matter)
    questionnaire = make_questionnaire(matter)
    make_talk(matter, world.buildings["b1"])
    services.record_door_visit(
        questionnaire, world.residents["zhang"].household, actor=actor_of(world.users["staff"]), outcome="not_home"
    )
    ctx = panel_context(world.users["grid_worker_2"], matter)
    assert len(ctx["meetings"]) == len(ctx["questionnaires"]) == len(ctx["talks"]) == 1
    assert ctx["can_add"] is True
    q = ctx["questionnaires"][0]
    assert (q.total.total, q.total.not_home, q.total.remaining) == (48, 1, 47)
    html = render_to_string("deliberation/hearings/_panel.html", ctx)
    assert "议事会" in html and "不在家1户" in html and "1栋座谈" in html and "登记会议" in html
    assert panel_context(world.users["resident"], matter) is None
    # registered as a matter panel (shell_hearings, imported at start-up)
    assert [p.name for p, _ in panels.matter_panels(world.users["secretary"], matter)].count("hearings") == 1


def test_the_hearings_page_of_a_matter(client, world):
    matter = make_matter(world.communities["e1"])
    make_meeting(matter)
    client.force_login(world.users["staff"])
    page = client.get(reverse("deliberation:matter_hearings", args=[matter.pk])).content.decode()
    assert "听取意见" in page and "议事会" in page and "新建入户问卷" in page
    client.force_login(world.users["resident"])
    assert client.get(reverse("deliberation:matter_hearings", args=[matter.pk])).status_code == 403
