"""Gap-free certificate numbers per community and year (see linli.certificates.models)."""

from __future__ import annotations

from django.db.models import Max

from linli.core.numbering import next_number

SUFFIXES = ("社区居民委员会", "居民委员会", "居委会", "社区")


def short_name(community) -> str:
    """青和居社区 → 青和居: the prefix of the community's numbers."""
    name = community.name.strip()
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def number_text(community, year: int, serial: int) -> str:
    return f"{short_name(community)}证〔{year}〕{serial:04d}号"


def series(community) -> str:
    """The community's series in linli.core.numbering (its counters moved there in certificates 0002)."""
    return f"certificates:{community.pk}"


def next_serial(community, year: int) -> int:
    """Take the next serial of `community` in `year` (linli.core.numbering). Call inside the transaction that saves
    the certificate: the counter row stays locked until it commits, and a rollback gives the serial back."""
    from linli.certificates.models import Certificate

    def start():
        rows = Certificate.objects.filter(community=community, year=year)
        return rows.aggregate(top=Max("serial"))["top"] or 0

    return next_number(series(community), year, start=start)
