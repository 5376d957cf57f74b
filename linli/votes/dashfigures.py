"""The household votes' figures on the dashboards (linli.core.shell.dashboard_figure), per community: votes open
now, and their turnout — the households that voted out of those on the votes' lists (a vote's own page shows the
same per vote and per building)."""

from __future__ import annotations

from linli.core import shell
from linli.core.figures import list_link, tally
from linli.votes.choices import VoteStatus
from linli.votes.models import Ballot, EligibleHousehold, Vote

NO_GRID = {"grid": None}
OF_VOTE = {"street": "vote__street_id", "community": "vote__community_id", "grid": None}


def open_votes(day, node):
    return tally(Vote.objects.filter(status=VoteStatus.OPEN), node=node, paths=NO_GRID)


def eligible(day, node):
    return tally(EligibleHousehold.objects.filter(vote__status=VoteStatus.OPEN), node=node, paths=OF_VOTE)


def voted(day, node):
    return tally(Ballot.objects.filter(vote__status=VoteStatus.OPEN), node=node, paths=OF_VOTE)


def vote_list(node, start, end):
    community = node.id if node.level == "community" else None
    return list_link("votes:vote_list", status=VoteStatus.OPEN, community=community)


shell.dashboard_family("votes", "户表决", order=75, visible=shell.perm("vote.view"))
for order, (key, label, unit, compute, link) in enumerate(
    [
        ("open", "表决中", "项", open_votes, vote_list),
        # Households, not votes: no list counts them across votes (each vote's page shows its own turnout).
        ("eligible", "应投票户数", "户", eligible, None),
        ("voted", "已投票户数", "户", voted, None),
    ]
):
    shell.dashboard_figure(
        f"votes.{key}",
        family="votes",
        label=label,
        unit=unit,
        kind=shell.STOCK,
        compute=compute,
        link=link,
        grids=False,
        order=10 * (order + 1),
    )
shell.dashboard_rate(
    "votes.turnout", family="votes", label="参与率", part="votes.voted", whole="votes.eligible", order=40
)
