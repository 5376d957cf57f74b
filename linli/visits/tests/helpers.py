import datetime

from django.utils import timezone

from linli.testing import SYSTEM
from linli.visits.services import log_visit


def days(n: int) -> datetime.date:
    """Today plus n days (negative: in the past)."""
    return timezone.localdate() + datetime.timedelta(days=n)


def visit(resident, on: int, outcome: str = "met", actor=SYSTEM, **kwargs):
    wellbeing = "" if outcome == "not_home" else kwargs.pop("wellbeing", "good")
    return log_visit(resident, actor=actor, outcome=outcome, wellbeing=wellbeing, visited_on=days(on), **kwargs)
