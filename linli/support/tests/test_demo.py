"""The demo's 帮扶与共建 (linli.support.demo) on the shared demo build: 23 units and organisations with 6–8 好商家,
at least 30 pairings together with the party demo's, a year of assistance, and households that received nothing."""

from django.utils import timezone

from linli.party.models import Pairing
from linli.support.choices import OrganisationKind
from linli.support.figures import grid_figures
from linli.support.models import Assistance, Contribution, HelpPairing, Organisation


def test_qinghe_has_23_units_with_merchants_and_their_projects(qinghe):
    orgs = Organisation.objects.filter(community=qinghe)
    assert orgs.count() == 23
    assert 6 <= orgs.filter(kind=OrganisationKind.MERCHANT).exclude(offer="").count() <= 8
    assert Contribution.objects.filter(organisation__community=qinghe).count() >= 23


def test_qinghe_has_at_least_30_pairings_and_a_year_of_assistance(qinghe):
    live = HelpPairing.objects.filter(community=qinghe, ended_on__isnull=True).count()
    assert live + Pairing.objects.filter(community=qinghe, ended_on__isnull=True).count() >= 30
    assert Assistance.objects.filter(community=qinghe).count() > 50
    from linli.accounts.models import User

    _, total = grid_figures(
        User.objects.filter(is_superuser=True).first() or _street_admin(qinghe), timezone.localdate().year
    )
    assert total.need > total.assisted > 0  # some households received nothing: the table shows who


def _street_admin(qinghe):
    from linli.accounts.models import User

    return User.objects.filter(assignments__street=qinghe.street, is_active=True).order_by("pk").first()
