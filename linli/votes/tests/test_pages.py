"""The pages: who sees what of a vote (secrecy per persona), casting on the phone, at the door and on paper,
the notice, the public result, the export, and the panels other pages show."""

import datetime

import pytest
from django.urls import reverse

from linli.core.models import ExportRecord
from linli.testing import SYSTEM
from linli.votes import panels, services
from linli.votes.choices import Choice
from linli.votes.models import Ballot
from linli.votes.testing import cast, open_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted(world, b1_matter):
    """Building 1's vote; 张三 voted 不同意 (a choice no page may show but the non-secret ballots list)."""
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    cast(vote, world.residents["zhang"], Choice.AGAINST)
    return vote


def page(client, user, name, vote, **kw):
    client.force_login(user)
    return client.get(reverse(name, args=[vote.pk]), **kw)


@pytest.mark.parametrize("persona", ["street_admin", "secretary", "staff", "grid_worker_1", "grid_worker_2"])
def test_the_result_page_shows_counts_never_who_voted_how(client, world, voted, persona):
    html = page(client, world.users[persona], "votes:vote_detail", voted).content.decode()
    assert "有表决权 24 户，已投票 1 户" in html
    assert "张三" not in html


@pytest.mark.parametrize(
    ("persona", "secret", "status", "shows_choice"),
    [
        ("secretary", True, 200, False),  # a secret vote: who has voted only, even for the secretary
        ("secretary", False, 200, True),  # non-secret: the secretary reads who voted how
        ("street_admin", False, 200, True),
        ("staff", False, 200, False),  # staff run the vote: who has voted, not how
        ("grid_worker_1", False, 403, False),
    ],
)
def test_who_voted_how_only_for_ballot_readers_of_a_non_secret_vote(
    client, world, voted, persona, secret, status, shows_choice
):
    type(voted).objects.filter(pk=voted.pk).update(secret=secret)
    response = page(client, world.users[persona], "votes:vote_ballots", voted)
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "1栋1单元101" in html
        assert ("不同意" in html) is shows_choice
        assert ("张三" in html) is shows_choice


def test_a_resident_sees_and_changes_only_their_own_choice(client, world, voted):
    resident = world.users["resident"]  # 陈奶奶, building 1
    client.force_login(resident)
    url = reverse("votes:vote_cast", args=[voted.pk])
    assert "您家现在的选择" not in client.get(url).content.decode()
    assert client.post(url, {"choice": "for"}).status_code == 302
    html = client.get(url).content.decode()
    assert "您家现在的选择：同意" in html and "不同意" not in html.split("您家现在的选择")[0][-50:]
    client.post(url, {"choice": "abstain"})
    assert Ballot.objects.get(vote=voted, household=world.residents["chen"].household).choice == "abstain"
    assert client.post(url, {"choice": "maybe"}).status_code == 400
    block = panels.my_open_votes(resident)
    assert [v.pk for v in block["votes"]] == [voted.pk] and block["votes"][0].voted


def test_a_grid_worker_takes_a_ballot_at_the_door_in_their_grid(client, world):
    vote = open_vote(world.communities["e1"])  # both buildings
    gw1 = world.users["grid_worker_1"]
    client.force_login(gw1)
    url = reverse("votes:vote_door", args=[vote.pk])
    html = client.get(url).content.decode()
    assert "1栋" in html and "2栋" not in html  # only their grid's buildings
    li = world.residents["li"]
    response = client.post(url, {"household": li.household_id, "representative": li.pk, "choice": "for"})
    assert response.status_code == 302
    assert Ballot.objects.get(vote=vote).channel == "door"
    wang = world.residents["wang"]  # building 2: grid 2
    response = client.post(url, {"household": wang.household_id, "representative": wang.pk, "choice": "for"})
    assert response.status_code == 404
    response = client.get(url, {"household": li.household_id})
    assert "李四" in response.content.decode()


def test_staff_enter_a_paper_ballot_with_its_scan(client, world, voted):
    from linli.attachments.tests.images import jpeg_bytes, upload

    client.force_login(world.users["staff"])
    url = reverse("votes:vote_paper", args=[voted.pk])
    li = world.residents["li"]
    data = {"household": li.household_id, "representative": li.pk, "choice": "for", "paper_number": "P-1"}
    assert client.post(url, {**data, "scan": upload(jpeg_bytes(size=(60, 40)))}).status_code == 302
    ballot = Ballot.objects.get(vote=voted, household=li.household)
    assert (ballot.channel, ballot.paper_number) == ("paper", "P-1")
    from linli.attachments.services import photos_of

    assert photos_of(ballot).count() == 1
    # The second clerk with the same paper: counted once.
    client.force_login(world.users["secretary"])
    assert client.post(url, data).status_code == 302
    assert services.tally(voted).counts.participating == 2
    # A paper without its number is refused on the page, nothing changed.
    chen = world.residents["chen"]
    response = client.post(url, {"household": chen.household_id, "representative": chen.pk, "choice": "for"})
    assert response.status_code == 400 and not Ballot.objects.filter(household=chen.household).exists()


def test_the_notice_and_the_public_page_show_counts_by_building(client, world, voted):
    services.close_vote(voted, actor=SYSTEM)
    html = page(client, world.users["staff"], "votes:vote_notice", voted).content.decode()
    assert "<svg" in html and "表决结果公示" in html and "张三" not in html
    client.logout()
    html = client.get(reverse("votes:vote_public", args=[voted.pk])).content.decode()
    assert "1栋" in html and "未通过" in html and "张三" not in html
    # Closed, the vote is no longer in the board's own section: its result is the matter's publication.
    assert panels.public_turnout(world.communities["e1"], datetime.date.today()) is None


def test_the_board_section_shows_open_votes_turnout_never_choices(world, voted):
    from django.template.loader import render_to_string

    section = panels.public_turnout(world.communities["e1"], datetime.date.today())
    assert [v["title"] for v in section["votes"]] == [voted.title]
    assert section["votes"][0]["rows"] == [("1栋", 24, 1, "4.2%")]
    html = render_to_string("votes/_public_section.html", section)
    assert "正在表决" in html and "不同意" not in html and "张三" not in html
    assert panels.public_turnout(world.communities["w1"], datetime.date.today()) is None


def test_the_turnout_export_is_recorded(client, world, voted):
    response = page(client, world.users["staff"], "votes:vote_export", voted)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    record = ExportRecord.objects.get(user=world.users["staff"])
    assert record.kind == "vote_turnout" and record.row_count == 1


def test_a_vote_is_added_on_a_matter_and_opened(client, world, b1_matter):
    client.force_login(world.users["secretary"])
    response = client.post(
        reverse("votes:vote_add", args=[b1_matter.pk]),
        {
            "title": "是否同意1栋加装电梯",
            "rule": "civil_major",
            "weigh_by_area": "on",
            "secret": "on",
            "publicity_days": 7,
        },
    )
    assert response.status_code == 302
    vote = b1_matter.votes.get()
    client.post(reverse("votes:vote_open", args=[vote.pk]))
    vote.refresh_from_db()
    assert vote.status == "open" and vote.eligible.count() == 24
    response = client.post(reverse("votes:vote_add", args=[b1_matter.pk]), {"title": "", "rule": "x"})
    assert response.status_code == 200 and "field-errors" in response.content.decode()


def test_the_panels_name_votes_not_choices(world, voted):
    zhang = world.residents["zhang"]
    assert [v.pk for v in panels.household_votes(world.users["secretary"], zhang)["votes"]] == [voted.pk]
    assert panels.household_votes(world.users["secretary"], world.residents["li"]) is None
    ctx = panels.matter_votes(world.users["secretary"], voted.matter)
    assert ctx["can_add"] and [v.pk for v in ctx["votes"]] == [voted.pk]
    assert panels.matter_votes(world.users["dept_handler"], voted.matter) is None
    assert not panels.matter_votes(world.users["grid_worker_1"], voted.matter)["can_add"]


@pytest.mark.parametrize("odd", ["²", "²²²²", "-1", "9" * 30, "x" * 300])
def test_odd_values_never_give_a_server_error(client, world, voted, odd):
    client.raise_request_exception = False
    client.force_login(world.users["secretary"])
    fields = ["household", "representative", "choice", "paper_number", "building"]
    for name in ("votes:vote_door", "votes:vote_paper"):
        url = reverse(name, args=[voted.pk])
        assert client.get(url, {"building": odd, "household": odd}).status_code < 500
        assert client.post(url, dict.fromkeys(fields, odd)).status_code < 500
    add = reverse("votes:vote_add", args=[voted.matter_id])
    vote_fields = ["title", "proposal", "rule", "closes_at", "publicity_days"]
    assert client.post(add, dict.fromkeys(vote_fields, odd)).status_code < 500
    assert client.get(reverse("votes:vote_list"), {"status": odd, "community": odd, "page": odd}).status_code < 500
    client.force_login(world.users["resident"])
    assert client.post(reverse("votes:vote_cast", args=[voted.pk]), {"choice": odd}).status_code < 500


@pytest.mark.parametrize(
    ("persona", "secret", "status"),
    [("secretary", False, 200), ("secretary", True, 404), ("staff", False, 404), ("grid_worker_1", False, 404)],
)
def test_a_ballot_scan_is_served_only_where_its_choice_may_be_read(client, world, voted, persona, secret, status):
    from linli.attachments.services import attach_photos
    from linli.attachments.tests.images import jpeg_bytes, upload

    type(voted).objects.filter(pk=voted.pk).update(secret=secret)
    ballot = Ballot.objects.get(vote=voted)
    photo = attach_photos(ballot, [upload(jpeg_bytes(size=(60, 40)))], actor=SYSTEM)[0]
    client.force_login(world.users[persona])
    assert client.get(reverse("attachments:photo", args=[photo.pk])).status_code == status


def test_the_panel_templates_render_with_their_contexts(world, voted):
    from django.template.loader import render_to_string

    resident, secretary = world.users["resident"], world.users["secretary"]
    cast(voted, world.residents["chen"], Choice.AGAINST)
    html = render_to_string("votes/_self_block.html", panels.my_open_votes(resident))
    assert "待表决" in html and voted.title in html and "不同意" not in html
    html = render_to_string("votes/_resident_panel.html", panels.household_votes(secretary, world.residents["chen"]))
    assert voted.title in html and "不同意" not in html
    html = render_to_string("votes/_matter_panel.html", panels.matter_votes(secretary, voted.matter))
    assert "发起表决" in html
    html = render_to_string("votes/_public_section.html", panels.public_turnout(voted.community, datetime.date.today()))
    assert "正在表决" in html and "张三" not in html and "陈奶奶" not in html and "不同意" not in html
