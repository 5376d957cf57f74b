"""What the votes app shows elsewhere: on a matter's page, on the community's public board (公示栏), on a resident's
own page (待表决) and on the resident one-view page (the votes their household took part in, never the choice)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef

from linli.votes import services
from linli.votes.choices import VoteStatus
from linli.votes.models import Ballot, Vote


def matter_votes(user, matter) -> dict | None:
    if not (user.is_superuser or user.has_role_perm("vote.view")):
        return None
    votes = list(Vote.objects.restrict(user).filter(matter=matter).order_by("-created_at"))
    can_add = (user.is_superuser or user.has_role_perm("vote.manage")) and services.vote_communities(user).filter(
        pk=matter.community_id
    ).exists()
    return {"votes": votes, "can_add": can_add, "matter": matter}


def public_turnout(community, today: datetime.date) -> dict | None:
    """Open votes on the public board: how many households of each building have voted, never how. A closed vote's
    result is the matter's own 公示 (published by services.close_vote, shown by the board itself), so it is not
    repeated here; nor are the choices of a vote still open."""
    from linli.deliberation.services import public_text

    shown = []
    for vote in Vote.objects.filter(community=community, status=VoteStatus.OPEN).order_by("closes_at", "pk"):
        result = services.tally(vote)
        c = result.counts
        shown.append(
            {
                "title": public_text(community, vote.title),
                "closes_at": vote.closes_at,
                "rows": [(b.building, b.eligible, b.participating, b.turnout) for b in result.buildings],
                "total": ("合计", c.eligible, c.participating, result.turnout),
            }
        )
    return {"votes": shown, "community": community} if shown else None


def my_open_votes(user) -> dict | None:
    """待表决: the open votes of the signed-in resident's household, each marked voted or not."""
    household_id = getattr(getattr(user, "resident", None), "household_id", None)
    if household_id is None:
        return None
    voted = Ballot.objects.filter(vote_id=OuterRef("pk"), household_id=household_id)
    votes = list(Vote.objects.restrict(user).live().annotate(voted=Exists(voted)).order_by("closes_at", "pk"))
    return {"votes": votes} if votes else None


def household_votes(user, resident) -> dict | None:
    """The votes the resident's household took part in (that it voted, not how)."""
    if not resident.household_id:
        return None
    voted = Ballot.objects.filter(vote_id=OuterRef("pk"), household_id=resident.household_id)
    votes = list(Vote.objects.restrict(user).filter(Exists(voted)).order_by("-created_at")[:20])
    return {"votes": votes} if votes else None


def my_votes_tile(user) -> dict | None:
    """待我家投票: the badge counts the open votes the household has not voted in yet."""
    from django.urls import reverse

    block = my_open_votes(user)
    if getattr(user, "resident", None) is None or not user.resident.household_id:
        return None
    waiting = sum(1 for v in block["votes"] if not v.voted) if block else 0
    note = f"{waiting}项等您家投票" if waiting else "现在没有要投票的事"
    return {"url": reverse("residents:my_section", args=["votes.pending"]), "count": waiting or None, "note": note}
