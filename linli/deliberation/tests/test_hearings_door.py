"""当面议: door-to-door answers, one per household, the last visit winning, progress and tallies."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from linli.areas.models import Household
from linli.core.audit import actor_of, history_of
from linli.deliberation import services_hearings as services
from linli.deliberation.choices import MatterScope
from linli.deliberation.models import DoorAnswer, DoorVisit
from linli.deliberation.testing_hearings import make_matter, make_questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def questionnaire(world):
    return make_questionnaire(make_matter(world.communities["e1"]))


def homes(world, building_key):
    return list(Household.objects.filter(building=world.buildings[building_key]).order_by("entrance", "floor", "room"))


def answer(questionnaire, household, user, choice="同意", text="", **kwargs):
    q1, q2 = questionnaire.questions.all()
    return services.record_door_visit(
        questionnaire,
        household,
        actor=actor_of(user),
        outcome=kwargs.pop("outcome", "answered"),
        answers={q1.key: choice, q2.key: text},
        **kwargs,
    )


def not_home(questionnaire, household, user):
    return services.record_door_visit(questionnaire, household, actor=actor_of(user), outcome="not_home")


def test_the_last_visit_wins_and_every_visit_is_kept(world, questionnaire):
    home = world.residents["zhang"].household
    gw1 = world.users["grid_worker_1"]
    not_home(questionnaire, home, gw1)
    row = answer(questionnaire, home, gw1, "不同意", "太贵", respondent=world.residents["zhang"])
    assert DoorAnswer.objects.count() == 1
    assert (row.outcome, row.visits, row.respondent) == ("answered", 2, world.residents["zhang"])
    assert list(row.answers.values()) == ["不同意", "太贵"]
    assert [v.outcome for v in DoorVisit.objects.order_by("id")] == ["not_home", "answered"]
    assert sorted(r.action for r in history_of(row)) == ["create", "update"]


def test_the_database_holds_one_answer_per_household(world, questionnaire):
    home = world.residents["zhang"].household
    answer(questionnaire, home, world.users["staff"])
    with pytest.raises(IntegrityError), transaction.atomic():
        DoorAnswer.objects.create(
            questionnaire=questionnaire, household=home, outcome="not_home", visited_at=timezone.now()
        )


def test_two_people_at_the_same_door_are_told_in_chinese_not_with_a_500(world, questionnaire):
    """The second writer did not see the first's row (as in a race): the constraint refuses, the service says why."""
    home = world.residents["zhang"].household
    answer(questionnaire, home, world.users["staff"])
    with mock.patch.object(services, "_current_answer", return_value=None):
        with pytest.raises(ValidationError, match="刚刚已由其他人登记"):
            answer(questionnaire, home, world.users["grid_worker_1"], "不同意")
    assert DoorAnswer.objects.get().answers[str(questionnaire.questions.first().pk)] == "同意"
    assert DoorVisit.objects.count() == 1


def test_a_grid_worker_cannot_fill_in_a_household_of_another_grid(client, world, questionnaire):
    home = world.residents["zhang"].household  # grid 1
    with pytest.raises(Http404):
        answer(questionnaire, home, world.users["grid_worker_2"])
    client.force_login(world.users["grid_worker_2"])
    url = reverse("deliberation:door_visit", args=[questionnaire.pk, home.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "not_home"}).status_code == 404
    building = reverse("deliberation:questionnaire_building", args=[questionnaire.pk, world.buildings["b1"].pk])
    assert client.get(building).status_code == 404
    assert DoorAnswer.objects.count() == 0


def test_a_household_outside_the_matters_scope_is_refused(world):
    matter = make_matter(world.communities["e1"], scope=MatterScope.BUILDING, buildings=[world.buildings["b2"]])
    questionnaire = make_questionnaire(matter)
    with pytest.raises(ValidationError, match="不在这个议题的范围内"):
        answer(questionnaire, world.residents["zhang"].household, world.users["secretary"])


@pytest.mark.parametrize(
    "choice, respondent, message",
    [("", None, "请选择。"), ("也许", None, "这个选项不在问卷里"), ("同意", "wang", "不是这一户的居民")],
)
def test_bad_answers_are_refused_and_nothing_is_written(world, questionnaire, choice, respondent, message):
    home = world.residents["zhang"].household
    with pytest.raises(ValidationError) as err:
        answer(questionnaire, home, world.users["staff"], choice, respondent=world.residents.get(respondent))
    assert message in " ".join(err.value.messages)
    assert DoorAnswer.objects.count() == 0 and DoorVisit.objects.count() == 0


def test_a_closed_questionnaire_takes_no_more_answers(world, questionnaire):
    services.set_questionnaire_open(questionnaire, actor=actor_of(world.users["staff"]), open=False)
    with pytest.raises(ValidationError, match="问卷已结束"):
        not_home(questionnaire, world.residents["zhang"].household, world.users["staff"])


def test_the_questions_cannot_change_once_a_household_answered(world, questionnaire):
    staff = world.users["staff"]
    answer(questionnaire, world.residents["zhang"].household, staff)
    specs = [services.QuestionSpec("换个问题？", "text")]
    with pytest.raises(ValidationError, match="问题不能再改"):
        services.update_questionnaire(questionnaire, actor=actor_of(staff), title="新标题", questions=specs)
    same = [services.QuestionSpec(q.text, q.kind, q.option_list) for q in questionnaire.questions.all()]
    services.update_questionnaire(questionnaire, actor=actor_of(staff), title="新标题", questions=same)
    questionnaire.refresh_from_db()
    assert questionnaire.title == "新标题"


@pytest.mark.parametrize(
    "specs, message",
    [
        ([], "请至少填写一个问题"),
        ([services.QuestionSpec("同意吗？", "single", ["同意"])], "请至少写两个选项"),
        ([services.QuestionSpec("同意吗？", "single", ["同意", "同意"])], "重复的选项"),
    ],
)
def test_a_questionnaire_needs_usable_questions(world, questionnaire, specs, message):
    with pytest.raises(ValidationError, match=message):
        services.create_questionnaire(
            questionnaire.matter, actor=actor_of(world.users["staff"]), title="问卷", questions=specs
        )


def test_progress_per_building_and_tallies_worked_by_hand(world, questionnaire):
    """东一 has 1栋 (grid 1) and 2栋 (grid 2), each 2 entrances x 6 floors x 2 rooms = 24 households: 48 in scope.
    1栋: 4 answered (one of them not at home first), 1 not at home -> 19 remaining, 4/24 = 16%.
    2栋: 1 answered -> 23 remaining, 1/24 = 4%. In all: 5 answered, 1 not at home, 42 remaining, 5/48 = 10%.
    Question 1: 同意 3, 不同意 1, 无所谓 1 of 5 answers -> 60%, 20%, 20%."""
    gw1, gw2 = world.users["grid_worker_1"], world.users["grid_worker_2"]
    b1, b2 = homes(world, "b1"), homes(world, "b2")
    assert len(b1) == len(b2) == 24
    answer(questionnaire, b1[0], gw1, "同意", "早点装")
    answer(questionnaire, b1[1], gw1, "同意")
    answer(questionnaire, b1[2], gw1, "不同意", "一楼采光")
    not_home(questionnaire, b1[3], gw1)
    answer(questionnaire, b1[3], gw1, "无所谓")
    not_home(questionnaire, b1[4], gw1)
    answer(questionnaire, b2[0], gw2, "同意")

    rows, total = services.progress(questionnaire)
    got = [(r.building.name, r.total, r.answered, r.not_home, r.remaining, r.percent) for r in rows]
    assert got == [("1栋", 24, 4, 1, 19, 16), ("2栋", 24, 1, 0, 23, 4)]
    assert (total.total, total.answered, total.not_home, total.remaining, total.percent) == (48, 5, 1, 42, 10)

    rows, total = services.progress(questionnaire, services.households_for(questionnaire, gw2))
    assert [r.building.name for r in rows] == ["2栋"] and total.total == 24

    q1, q2 = services.tallies(questionnaire)
    assert q1.options == [("同意", 3, 60), ("不同意", 1, 20), ("无所谓", 1, 20)] and q1.answered == 5
    assert sorted(q2.texts) == [("一楼采光", 1), ("早点装", 1)]


def test_the_building_list_and_one_screen_per_household(client, world, questionnaire):
    b1 = homes(world, "b1")
    not_home(questionnaire, b1[0], world.users["grid_worker_1"])
    client.force_login(world.users["grid_worker_1"])
    page = client.get(
        reverse("deliberation:questionnaire_building", args=[questionnaire.pk, world.buildings["b1"].pk])
    ).content.decode()
    assert page.count("<span>不在家</span>") == 1 and page.count("<span>未问</span>") == 23
    todo = client.get(
        reverse("deliberation:questionnaire_building", args=[questionnaire.pk, world.buildings["b1"].pk]), {"todo": "1"}
    )
    assert todo.content.decode().count("<span>未问</span>") == 23
    url = reverse("deliberation:door_visit", args=[questionnaire.pk, b1[1].pk])
    assert "是否同意加装电梯" in client.get(url).content.decode()
    q1 = questionnaire.questions.first()
    response = client.post(url, {"outcome": "answered", f"q{q1.pk}": ""})
    assert response.status_code == 200 and "请选择。" in response.content.decode()
    response = client.post(url, {"outcome": "answered", f"q{q1.pk}": "同意"})
    assert response.status_code == 302
    assert DoorAnswer.objects.get(household=b1[1]).answers == {q1.key: "同意"}
    # the questionnaire page: progress only over grid 1's building for this grid worker
    page = client.get(reverse("deliberation:questionnaire_detail", args=[questionnaire.pk])).content.decode()
    assert "1栋" in page and "2栋" not in page


def test_the_questionnaire_form_creates_the_questions(client, world):
    matter = make_matter(world.communities["e1"])
    client.force_login(world.users["staff"])
    url = reverse("deliberation:questionnaire_add", args=[matter.pk])
    response = client.post(url, {"title": "问卷", "q1_text": "同意吗？", "q1_kind": "single", "q1_options": "同意"})
    assert "请至少写两个选项" in response.content.decode()
    response = client.post(
        url,
        {
            "title": "问卷",
            "q1_text": "同意吗？",
            "q1_kind": "single",
            "q1_options": "同意\n不同意\n",
            "q2_text": "建议？",
            "q2_kind": "text",
        },
    )
    assert response.status_code == 302
    assert [(q.text, q.option_list) for q in matter.questionnaires.get().questions.all()] == [
        ("同意吗？", ["同意", "不同意"]),
        ("建议？", []),
    ]
