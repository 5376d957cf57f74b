"""The API gives results, never ballots."""

import pytest

from linli.testing import SYSTEM
from linli.votes import services
from linli.votes.choices import Choice
from linli.votes.testing import cast, open_vote

pytestmark = pytest.mark.django_db


def test_the_result_has_counts_and_arithmetic_but_no_ballots(client, world, b1_matter):
    vote = open_vote(world.communities["e1"], matter=b1_matter)
    cast(vote, world.residents["zhang"], Choice.AGAINST)
    client.force_login(world.users["secretary"])
    data = client.get(f"/api/votes/{vote.pk}/result").json()
    assert data["final"] is False and data["counts"]["participating"] == 1
    assert data["thresholds"][0]["text"] == "同意户数 0/1 = 0.0%，需 > 50.0%，未达到"
    assert data["buildings"] == [
        {"building": "1栋", "eligible": 24, "participating": 1, "yes": 0, "no": 1, "abstain": 0}
    ]
    assert "张三" not in str(data) and "ballot" not in str(data)
    services.close_vote(vote, actor=SYSTEM)
    assert client.get(f"/api/votes/{vote.pk}/result").json()["final"] is True


def test_a_draft_has_no_result(client, world, b1_matter):
    vote = services.create_vote(actor=SYSTEM, matter=b1_matter, title="草稿")
    client.force_login(world.users["secretary"])
    assert client.get(f"/api/votes/{vote.pk}/result").status_code == 404
