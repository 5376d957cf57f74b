"""Gap-free certificate numbers per community and year (see linli.certificates.models)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from linli.certificates.models import NumberCounter

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


def next_serial(community, year: int) -> int:
    """Take the next serial of `community` in `year`. Call inside the transaction that saves the certificate: the
    counter row stays locked until it commits, and a rollback gives the serial back."""
    assert transaction.get_connection().in_atomic_block, "next_serial runs inside the issuing transaction"
    counter = NumberCounter.objects.select_for_update().filter(community=community, year=year).first()
    if counter is None:
        # The year's first certificate: two issuers may both try to create the row; the loser's insert fails on the
        # unique constraint (after the winner commits, on PostgreSQL) and it then waits for the winner's row.
        try:
            with transaction.atomic():
                NumberCounter.objects.create(community=community, year=year)
        except IntegrityError:
            pass
        counter = NumberCounter.objects.select_for_update().get(community=community, year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial
