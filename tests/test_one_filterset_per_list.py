"""One FilterSet per list: the page, the API and the export of a list all decide their rows with the same class.

Each surface is requested and the FilterSet classes it builds are recorded; a surface that filters by hand (or
with another class) builds none of the list's class and fails here. Which rows each surface then gives for the
same query string is tested in the apps (test_filters.py of wishes, lovebank, visits).
"""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import pytest
from django.urls import reverse

from linli.accounts.choices import TokenScope
from linli.appeals.filtersets import AppealFilterSet
from linli.campaigns.filtersets import CampaignFilterSet, CampaignTargetFilterSet
from linli.certificates.filtersets import CertificateFilterSet
from linli.channels.filtersets import DispatchFilterSet, WechatGroupFilterSet
from linli.hall.filtersets import AppointmentFilterSet, ErrandFilterSet, ServiceMatterFilterSet, TicketFilterSet
from linli.lovebank.filtersets import AccountFilterSet, CatalogueItemFilterSet
from linli.mediation.filtersets import CaseFilterSet, ReceptionFilterSet
from linli.notices.filtersets import NoticeFilterSet, SavedAudienceFilterSet
from linli.party.filtersets import PartyMemberFilterSet
from linli.party.filtersets_life import AppraisalFilterSet, PartyMeetingFilterSet
from linli.party.filtersets_pairing import PairingFilterSet, ServiceSummaryFilterSet
from linli.party.filtersets_structure import PartnerUnitFilterSet
from linli.places.filtersets import BookingFilterSet
from linli.places.filtersets_room import RoomFilterSet
from linli.residents.filtersets import ResidentFilterSet
from linli.support.filtersets import AssistanceFilterSet as SupportAssistanceFilterSet
from linli.support.filtersets import CareTableFilterSet, HelpPairingFilterSet, OrganisationFilterSet
from linli.testing import bearer
from linli.visits.filtersets import FieldNoteFilterSet
from linli.volunteers.filtersets import ActivityFilterSet
from linli.votes.filtersets import VoteFilterSet
from linli.wishes.filtersets import WishFilterSet

pytestmark = pytest.mark.django_db

#: list → (its FilterSet, the persona that may read every surface, {surface: (kind, URL name or API path)})
LISTS = {
    "residents": (
        ResidentFilterSet,
        "street_admin",
        {
            "page": ("page", "residents:resident_list"),
            "api": ("api", "/api/residents"),
            "export": ("page", "ledgers:resident_export"),
        },
    ),
    "appeals": (
        AppealFilterSet,
        "street_admin",
        {
            "page": ("page", "appeals:appeal_list"),
            "api": ("api", "/api/appeals"),
            "export": ("page", "appeals:appeal_export"),
        },
    ),
    "activities": (
        ActivityFilterSet,
        "street_admin",
        {"page": ("page", "volunteers:activity_list"), "api": ("api", "/api/volunteers/activities")},
    ),
    "wechat groups": (WechatGroupFilterSet, "street_admin", {"page": ("page", "channels:wechat_group_list")}),
    "dispatches": (DispatchFilterSet, "street_admin", {"page": ("page", "channels:dispatch_list")}),
    "votes": (
        VoteFilterSet,
        "street_admin",
        {"page": ("page", "votes:vote_list"), "api": ("api", "/api/votes")},
    ),
    "wishes": (
        WishFilterSet,
        "street_admin",
        {"page": ("page", "wishes:wish_list"), "api": ("api", "/api/wishes")},
    ),
    "lovebank accounts": (
        AccountFilterSet,
        "street_admin",
        {"page": ("page", "lovebank:account_list"), "api": ("api", "/api/lovebank/accounts")},
    ),
    "lovebank catalogue": (
        CatalogueItemFilterSet,
        "street_admin",
        {"page": ("page", "lovebank:item_list"), "api": ("api", "/api/lovebank/items")},
    ),
    "mediation cases": (
        CaseFilterSet,
        "street_admin",
        {"page": ("page", "mediation:case_list"), "export": ("page", "mediation:register_export")},
    ),
    "mediation receptions": (
        ReceptionFilterSet,
        "street_admin",
        {"page": ("page", "mediation:reception_list")},
    ),
    "campaigns": (
        CampaignFilterSet,
        "street_admin",
        {"page": ("page", "campaigns:campaign_list"), "api": ("api", "/api/campaigns")},
    ),
    "campaign targets": (
        CampaignTargetFilterSet,
        "street_admin",
        {"page": ("page", "campaigns:target_list"), "api": ("api", "/api/campaigns/targets")},
    ),
    "notices": (
        NoticeFilterSet,
        "street_admin",
        {"page": ("page", "notices:notice_list"), "api": ("api", "/api/notices")},
    ),
    "saved audiences": (SavedAudienceFilterSet, "street_admin", {"page": ("page", "notices:saved_audience_list")}),
    "diary": (
        FieldNoteFilterSet,
        "secretary",
        {
            "page": ("page", "visits:diary_list"),
            "print": ("page", "visits:diary_ledger"),
            "export": ("page", "visits:diary_ledger_xlsx"),
        },
    ),
    # 党建
    "party units": (PartnerUnitFilterSet, "street_admin", {"page": ("page", "party:unit_list")}),
    "party meetings": (
        PartyMeetingFilterSet,
        "street_admin",
        {"page": ("page", "party:meeting_list"), "api": ("api", "/api/party/meetings")},
    ),
    "party appraisals": (AppraisalFilterSet, "street_admin", {"page": ("page", "party:appraisal_list")}),
    "party members": (
        PartyMemberFilterSet,
        "street_admin",
        {
            "page": ("page", "party:member_list"),
            "export": ("page", "party:member_export"),
            "api": ("api", "/api/party/members"),
        },
    ),
    # -- party, pairing part: 结对帮扶 and 党员服务汇总 (page and Excel)
    "party pairings": (PairingFilterSet, "secretary", {"page": ("page", "party:pairing_list")}),
    "party service": (
        ServiceSummaryFilterSet,
        "secretary",
        {"page": ("page", "party:service_summary"), "export": ("page", "party:service_export")},
    ),
    # -- places, booking part: 功能室预约 (page, Excel, API)
    "place bookings": (
        BookingFilterSet,
        "street_admin",
        {
            "page": ("page", "places:booking_list"),
            "export": ("page", "places:booking_export"),
            "api": ("api", "/api/places/bookings"),
        },
    ),
    # 便民服务 (linli.hall)
    "hall appointments": (
        AppointmentFilterSet,
        "street_admin",
        {
            "page": ("page", "hall:appointment_list"),
            "export": ("page", "hall:appointment_export"),
            "api": ("api", "/api/hall/appointments"),
        },
    ),
    "hall errands": (
        ErrandFilterSet,
        "street_admin",
        {
            "page": ("page", "hall:errand_list"),
            "export": ("page", "hall:errand_export"),
            "api": ("api", "/api/hall/errands"),
        },
    ),
    "hall tickets": (
        TicketFilterSet,
        "street_admin",
        {"page": ("page", "hall:ticket_list"), "export": ("page", "hall:ticket_export")},
    ),
    "hall matters": (ServiceMatterFilterSet, "street_admin", {"page": ("page", "hall:matter_list")}),
    # -- places, timetable part: the room list; the usage figures and their export choose rooms with it too
    "places rooms": (RoomFilterSet, "street_admin", {"page": ("page", "places:room_list")}),
    "places usage": (
        RoomFilterSet,
        "street_admin",
        {"page": ("page", "places:usage"), "export": ("page", "places:usage_export")},
    ),
    # -- 社区证明: the register (登记簿) and its Excel export
    "certificates": (
        CertificateFilterSet,
        "street_admin",
        {"page": ("page", "certificates:certificate_list"), "export": ("page", "certificates:certificate_export")},
    ),
    # 帮扶与共建 (linli/support)
    "support assistance": (
        SupportAssistanceFilterSet,
        "street_admin",
        {
            "page": ("page", "support:assistance_list"),
            "api": ("api", "/api/support/assistance"),
            "export": ("page", "support:assistance_export"),
        },
    ),
    "support care table": (
        CareTableFilterSet,
        "street_admin",
        {"page": ("page", "support:care_table"), "export": ("page", "support:care_export")},
    ),
    "support pairings": (
        HelpPairingFilterSet,
        "street_admin",
        {"page": ("page", "support:pairing_list"), "api": ("api", "/api/support/pairings")},
    ),
    "support directory": (
        OrganisationFilterSet,
        "street_admin",
        {
            "page": ("page", "support:organisation_list"),
            "api": ("api", "/api/support/organisations"),
            "export": ("page", "support:organisation_export"),
        },
    ),
}


@contextmanager
def filtersets_built():
    """The FilterSet classes built while inside (any class of the project's filtersets modules)."""
    import django_filters

    built: list[type] = []
    original = django_filters.FilterSet.__init__

    def spy(self, *args, **kwargs):
        built.append(type(self))
        original(self, *args, **kwargs)

    with mock.patch.object(django_filters.FilterSet, "__init__", spy):
        yield built


@pytest.mark.parametrize("name", LISTS)
def test_the_page_api_and_export_of_a_list_use_its_one_filterset(world, client, name):
    cls, persona, surfaces = LISTS[name]
    user = world.users[persona]
    client.force_login(user)
    auth = bearer(user, scope=TokenScope.READ)
    for surface, (kind, target) in surfaces.items():
        with filtersets_built() as built:
            if kind == "api":
                response = client.get(target, **auth)
            else:
                response = client.get(reverse(target))
        assert response.status_code == 200, (name, surface, response.status_code)
        assert built == [cls], f"{name} {surface}: built {built}, not {cls.__name__}"
