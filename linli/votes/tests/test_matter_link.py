"""A vote follows its matter's life: opening moves the matter to 表决中, closing publishes the result as the
matter's 公示 (counts only, never who voted how) and the matter goes to 公示中; once, however often it is closed."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from linli.core.audit import actor_of
from linli.core.models import ChangeRecord
from linli.deliberation import services as matters
from linli.deliberation.choices import MatterStatus
from linli.deliberation.models import Matter, Publication
from linli.testing import SYSTEM
from linli.votes import services
from linli.votes.choices import Choice, VoteRule, VoteStatus
from linli.votes.models import EligibleHousehold
from linli.votes.testing import cast, make_matter, open_vote, set_area

pytestmark = pytest.mark.django_db


def matter_status(matter) -> str:
    return Matter.objects.values_list("status", flat=True).get(pk=matter.pk)


def matter_notes(matter) -> list[str]:
    return list(
        ChangeRecord.objects.filter(content_type__model="matter", object_id=matter.pk)
        .order_by("at", "id")
        .values_list("note", flat=True)
    )


def draft(matter, title="是否同意1栋加装电梯", **kw):
    return services.create_vote(actor=SYSTEM, matter=matter, title=title, **kw)


def test_opening_moves_the_matter_to_voting_by_the_same_actor(world, b1_matter):
    staff = world.users["staff"]
    vote = services.open_vote(draft(b1_matter), actor=actor_of(staff))
    assert matter_status(b1_matter) == MatterStatus.VOTING
    record = ChangeRecord.objects.filter(content_type__model="matter", object_id=b1_matter.pk).latest("id")
    assert record.actor == staff and record.note == f"开始表决：{vote.title}"
    assert record.changes == {"状态": ["征求意见", "表决中"]}


def test_a_second_vote_on_a_matter_already_voting_leaves_it_there(world, b1_matter):
    open_vote(world.communities["e1"], matter=b1_matter)
    open_vote(world.communities["e1"], matter=b1_matter, title="是否同意电梯费用分摊办法")
    assert matter_status(b1_matter) == MatterStatus.VOTING
    assert sum(note.startswith("开始表决") for note in matter_notes(b1_matter)) == 1


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (MatterStatus.PROPOSED, "还没有受理，请先受理议题再开始表决"),
        (MatterStatus.DONE, "已办结，不能再开始表决"),
        (MatterStatus.DECLINED, "不予立项，不能再开始表决"),
    ],
)
def test_opening_is_refused_for_a_matter_not_accepted_done_or_declined(world, status, words):
    matter = make_matter(world.communities["e1"], status=status)
    vote = draft(matter)
    with pytest.raises(ValidationError) as exc:
        services.open_vote(vote, actor=SYSTEM)
    assert words in exc.value.messages[0]
    vote.refresh_from_db()
    assert vote.status == VoteStatus.DRAFT and not EligibleHousehold.objects.filter(vote=vote).exists()
    assert matter_status(matter) == status


def test_closing_publishes_the_result_counts_only_and_the_matter_goes_to_publicity(world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter, publicity_days=10)
    cast(vote, world.residents["zhang"], Choice.AGAINST)
    cast(vote, world.residents["li"], Choice.FOR)
    vote = services.close_vote(vote, actor=actor_of(world.users["secretary"]))

    publication = Publication.objects.get(matter=b1_matter)
    assert vote.publication == publication
    assert matter_status(b1_matter) == MatterStatus.PUBLICITY
    assert publication.title == "表决结果公示：是否同意加装楼道照明"
    assert "未获通过" in publication.body and "参与表决户数过半同意" in publication.body
    assert (publication.ends_on - publication.starts_on).days == 9  # ten days, the first included
    assert publication.published_by == world.users["secretary"]
    buildings, thresholds = publication.snapshot["tables"]
    assert buildings["columns"] == ["楼栋", "有表决权", "已投票", "参与率", "同意", "不同意", "弃权"]
    assert buildings["rows"] == [["1栋", 24, 2, "8.3%", 1, 1, 0], ["合计", 24, 2, "8.3%", 1, 1, 0]]
    assert thresholds["rows"] == [["同意户数", "1 ÷ 2 = 50.0%", "> 50.0%", "未达到"]]
    public = json.dumps([publication.title, publication.body, publication.snapshot], ensure_ascii=False)
    for secret in ("张三", "李四", "101", "102", "不同意票", "representative", "household"):
        assert secret not in public
    assert "公示：表决结果公示" in matter_notes(b1_matter)[-1]


def test_an_area_weighted_vote_publishes_its_areas_and_both_participation_thresholds(world, b1_matter):
    zhang = world.residents["zhang"]
    set_area(zhang.household, "80.50")
    vote = services.open_vote(draft(b1_matter, rule=VoteRule.CIVIL_CODE_GENERAL, weigh_by_area=True), actor=SYSTEM)
    cast(vote, zhang, Choice.FOR)
    vote = services.close_vote(vote, actor=SYSTEM)
    tables = {t["title"]: t for t in vote.publication.snapshot["tables"]}
    assert [r[0] for r in tables["通过条件"]["rows"]] == ["参与户数", "参与面积", "同意户数", "同意面积"]
    assert tables["通过条件"]["rows"][0] == ["参与户数", "1 ÷ 24 = 4.2%", "≥ 66.7%", "未达到"]
    assert tables["建筑面积（㎡）"]["rows"] == [["80.50", "80.50", "80.50", "0.00", "0.00", 23]]
    assert "户数和建筑面积都要达到" in vote.publication.body


def test_closing_twice_publishes_once(world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    cast(vote, world.residents["zhang"], Choice.FOR)
    services.close_vote(vote, actor=SYSTEM)
    with pytest.raises(ValidationError):
        services.close_vote(vote, actor=SYSTEM)
    assert services.close_due_votes() == []
    assert Publication.objects.filter(matter=b1_matter).count() == 1


def test_a_vote_title_naming_a_room_is_published_under_a_plain_title(world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter, title="是否同意在1栋1单元101室门前加装坡道")
    vote = services.close_vote(vote, actor=SYSTEM)
    assert vote.status == VoteStatus.CLOSED
    assert vote.publication.title == "表决结果公示" and "101" not in vote.publication.body


def test_a_new_vote_after_a_published_result_moves_the_matter_back_to_voting(world, b1_matter):
    first = open_vote(world.communities["e1"], matter=b1_matter)
    services.close_vote(first, actor=SYSTEM)
    assert matter_status(b1_matter) == MatterStatus.PUBLICITY
    open_vote(world.communities["e1"], matter=b1_matter, title="是否同意修改后的加装电梯方案")
    assert matter_status(b1_matter) == MatterStatus.VOTING


def test_a_matter_closed_while_its_vote_is_open_still_gets_the_result_published(world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    matters.close_matter(b1_matter, actor=SYSTEM)
    vote = services.close_vote(vote, actor=SYSTEM)
    assert vote.publication is not None and matter_status(b1_matter) == MatterStatus.DONE


def test_the_public_board_shows_a_closed_vote_once_and_an_open_one_as_turnout(client, world, b1_matter):
    closed = open_vote(world.communities["e1"], matter=b1_matter, title="是否同意更换单元门")
    cast(closed, world.residents["zhang"], Choice.AGAINST)
    services.close_vote(closed, actor=SYSTEM)
    live = open_vote(world.communities["e1"], matter=b1_matter, title="是否同意加装电梯")
    cast(live, world.residents["li"], Choice.AGAINST)
    html = client.get(reverse("deliberation:public_board", args=[world.communities["e1"].code])).content.decode()
    assert html.count("表决结果公示：是否同意更换单元门") == 1  # the publication, not a second copy in the section
    assert "正在表决" in html and "是否同意加装电梯" in html
    assert "张三" not in html and "李四" not in html
    section = html.split("正在表决", 1)[1]  # the votes' own section: turnout of the open vote, no choices
    assert "是否同意加装电梯" in section and "不同意" not in section and "是否同意更换单元门" not in section


def test_the_vote_page_links_to_its_publication(client, world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    vote = services.close_vote(vote, actor=SYSTEM)
    client.force_login(world.users["staff"])
    html = client.get(reverse("votes:vote_detail", args=[vote.pk])).content.decode()
    url = reverse("deliberation:publication_detail", args=[vote.publication.pk])
    assert url in html
    html = client.get(url).content.decode()  # objections are recorded here
    assert "各楼栋投票情况" in html and "通过条件" in html and "登记异议" in html
    html = client.get(reverse("deliberation:publication_print", args=[vote.publication.pk])).content.decode()
    assert "<svg" in html and "通过条件" in html
