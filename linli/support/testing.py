"""帮扶与共建 fixtures on top of the `world` personas (linli.testing), for the scope matrix (tests/scope_world.py)
and the app's tests.

东一社区: 东一超市 (好商家) with a 共建项目; 志愿者小刘 (a volunteer without an account) paired with 张三's
household (grid 1) with one contact; a 节日慰问 record for 张三's household. 西一社区: 西一药房, 西一志愿者 paired
with 孙七's household, a 临时救助 record. Names carry 西一 so that the scope matrix notices a leak.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from linli.support import services
from linli.support.choices import AssistanceKind, AssistanceSource, ContributionKind, HelperKind, OrganisationKind
from linli.support.models import Organisation
from linli.testing import SYSTEM
from linli.volunteers.models import Volunteer

DAY = datetime.date(2026, 1, 10)


def make_volunteer(community, name: str, user=None) -> Volunteer:
    if user is not None:
        found = Volunteer.objects.filter(community=community, user=user).first()
        if found is not None:
            return found
    return Volunteer.objects.create(community=community, name=name, user=user)


def make_org(community, name: str, kind=OrganisationKind.RESIDENT_UNIT, **fields) -> Organisation:
    return services.save_organisation(Organisation(community=community, name=name, kind=kind, **fields), actor=SYSTEM)


def matrix_objects(world) -> dict:
    e1, w1 = world.communities["e1"], world.communities["w1"]
    zhang, sun = world.residents["zhang"], world.residents["sun"]
    orgs = {
        "e1": make_org(
            e1,
            "东一超市",
            OrganisationKind.MERCHANT,
            offer="老人购物九五折",
            merchant_year=2025,
            contact_phone="13811110000",
        ),
        "w1": make_org(w1, "西一药房", OrganisationKind.MERCHANT, offer="西一老人量血压免费"),
    }
    services.add_contribution(orgs["e1"], actor=SYSTEM, title="节日慰问品", kind=ContributionKind.GOODS, started_on=DAY)
    helpers = {
        # No account: tests/scope_world.py gives the `volunteer` persona its own record in 东一 later.
        "e1": make_volunteer(e1, "志愿者小刘"),
        "w1": make_volunteer(w1, "西一志愿者"),
    }
    pairings = {
        "e1": services.pair(
            zhang.household, actor=SYSTEM, helper_kind=HelperKind.VOLUNTEER, volunteer=helpers["e1"], started_on=DAY
        ),
        "w1": services.pair(
            sun.household, actor=SYSTEM, helper_kind=HelperKind.VOLUNTEER, volunteer=helpers["w1"], started_on=DAY
        ),
    }
    services.add_contact(pairings["e1"], actor=SYSTEM, contacted_on=DAY, note="上门看望，帮忙买菜。")
    records = {
        "e1": services.record_assistance(
            zhang.household,
            actor=SYSTEM,
            given_on=DAY,
            kind=AssistanceKind.GOODS,
            description="米面油一套",
            source=AssistanceSource.PROGRAMME,
            programme="节日慰问",
            quantity=1,
        ),
        "w1": services.record_assistance(
            sun.household,
            actor=SYSTEM,
            given_on=DAY,
            kind=AssistanceKind.MONEY,
            description="西一临时救助金",
            source=AssistanceSource.PROGRAMME,
            programme="临时救助",
            amount=Decimal("500"),
        ),
    }
    return {
        "support_orgs": orgs,
        "help_pairings": pairings,
        "support_households": {"e1": zhang.household, "w1": sun.household},
        "support_assistance": records,
    }
