"""帮扶与共建: who received nothing, both sides of a pairing, figures per grid counting party pairings too, scope
and the rules of the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from linli.core.audit import actor_of
from linli.core.models import ExportRecord
from linli.party.testing import build_party_world
from linli.support import services
from linli.support.choices import AssistanceKind, AssistanceSource, HelperKind, OrganisationKind
from linli.support.figures import grid_figures
from linli.support.models import Assistance, HelpPairing
from linli.support.testing import DAY, make_org, make_volunteer
from linli.testing import SYSTEM

pytestmark = pytest.mark.django_db


def give(household, day, **fields):
    fields.setdefault("kind", AssistanceKind.GOODS)
    fields.setdefault("description", "米面油")
    fields.setdefault("source", AssistanceSource.PROGRAMME)
    fields.setdefault("programme", "节日慰问")
    return services.record_assistance(household, actor=SYSTEM, given_on=day, **fields)


def test_the_yearly_table_lists_the_households_in_need_that_received_nothing(client, world, sw):
    # 张三 (独居) received a 节日慰问 in 2026; 陈奶奶 (独居) and 李四 (残疾) nothing; 王五 (空巢, grid 2) nothing.
    client.force_login(world.users["secretary"])
    page = client.get(reverse("support:care_table"), {"year": 2026, "received": "no"}).content.decode()
    assert "陈奶奶" in page and "李四" in page and "王五" in page
    assert "张三" not in page
    assert 'data-list-total="3"' in page
    page = client.get(reverse("support:care_table"), {"year": 2026, "received": "yes"}).content.decode()
    assert "张三" in page and 'data-list-total="1"' in page


def test_a_grid_worker_sees_only_the_households_of_their_grid(client, world, sw):
    client.force_login(world.users["grid_worker_2"])
    page = client.get(reverse("support:care_table"), {"year": 2026}).content.decode()
    assert "王五" in page and "张三" not in page and "陈奶奶" not in page
    assert client.get(reverse("support:household_history", args=[sw["support_households"]["e1"].pk])).status_code == 404


def test_figures_per_grid_count_party_pairings_as_well_as_help_pairings(world, sw):
    year = timezone.localdate().year
    build_party_world(world)  # pairs a party member with 张三's household (grid 1)
    wang = world.residents["wang"].household  # grid 2: paired with a unit below
    shop = make_org(world.communities["e1"], "东一药店", OrganisationKind.MERCHANT)
    services.pair(wang, actor=SYSTEM, helper_kind=HelperKind.ORGANISATION, organisation=shop, started_on=DAY)
    give(wang, timezone.localdate())
    rows, total = grid_figures(world.users["secretary"], year)
    by_grid = {r.grid_id: r for r in rows}
    g1, g2 = by_grid[world.grids["g1"].pk], by_grid[world.grids["g2"].pk]
    assert (g1.need, g2.need) == (3, 1)  # 张三, 陈奶奶, 李四 | 王五
    assert g1.paired == 1  # 张三: a help pairing and a party pairing, counted once
    assert g2.paired == 1 and g2.assisted == 1 and g2.nothing == 0
    assert total.need == 4 and total.nothing == total.need - total.assisted


def test_the_figures_use_a_fixed_number_of_queries(world, sw, django_assert_max_num_queries):
    for key in ("chen", "li", "wang"):
        give(world.residents[key].household, DAY)
    with django_assert_max_num_queries(3):
        grid_figures(world.users["street_admin"], 2026)


def test_a_pairing_shows_on_the_household_page_and_on_the_helper_volunteers_own_pages(client, world, sw):
    zhang = world.residents["zhang"]
    helper = make_volunteer(world.communities["e1"], "热心人小周", world.users["volunteer"])
    pairing = services.pair(
        world.residents["chen"].household, actor=SYSTEM, helper_kind=HelperKind.VOLUNTEER, volunteer=helper,
        started_on=DAY, need="每周电话问候",
    )  # fmt: skip
    client.force_login(world.users["grid_worker_1"])
    page = client.get(reverse("areas:household_detail", args=[zhang.household_id])).content.decode()
    assert "志愿者小刘" in page and "帮忙买菜" in page
    # The volunteer's own account: 我的结对 on the home page, the pairing's page and 记一笔, nothing else.
    client.force_login(world.users["volunteer"])
    assert "热心人小周" not in client.get(reverse("core:home")).content.decode()
    assert str(pairing.household) in client.get(reverse("core:home")).content.decode()
    assert client.get(reverse("support:pairing_detail", args=[pairing.pk])).status_code == 200
    response = client.post(
        reverse("support:contact_add", args=[pairing.pk]),
        {"contacted_on": timezone.localdate().isoformat(), "kind": "phone", "note": "电话问候，老人挺好。"},
    )
    assert response.status_code == 302 and pairing.contacts.count() == 1
    other = sw["help_pairings"]["e1"]
    assert client.get(reverse("support:pairing_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("support:pairing_list")).status_code == 403


def test_an_organisations_page_shows_its_pairings(client, world, sw):
    org = sw["support_orgs"]["e1"]
    services.pair(
        world.residents["li"].household, actor=SYSTEM, helper_kind=HelperKind.ORGANISATION, organisation=org,
        started_on=DAY,
    )  # fmt: skip
    client.force_login(world.users["staff"])
    page = client.get(reverse("support:organisation_detail", args=[org.pk])).content.decode()
    assert "1栋2单元502" in page and "节日慰问品" in page
    assert "13811110000" in page  # staff hold resident.reveal_phone
    client.force_login(world.users["grid_worker_2"])
    page = client.get(reverse("support:organisation_detail", args=[org.pk])).content.decode()
    assert "1栋2单元502" not in page  # 李四's household is in grid 1


def test_phones_are_masked_for_roles_that_may_not_reveal_them(client, world, sw):
    org = sw["support_orgs"]["e1"]
    assert org.phone_for(world.users["secretary"]) == "13811110000"
    assert org.phone_for(world.users["nobody"]) == "13811110000"  # staff role holds resident.reveal_phone
    from linli.accounts.models import User

    volunteer = User(role="volunteer")
    assert org.phone_for(volunteer) == "138****0000"


def test_assistance_rules_refuse_bad_input_and_change_nothing(world, sw):
    household = world.residents["chen"].household
    before = Assistance.objects.count()
    with pytest.raises(ValidationError) as err:
        give(household, DAY, kind=AssistanceKind.MONEY, amount=None)
    assert "amount" in err.value.error_dict
    with pytest.raises(ValidationError):
        give(household, DAY, source=AssistanceSource.UNIT, programme="")
    with pytest.raises(ValidationError):
        give(household, DAY, source=AssistanceSource.PAIRING, pairing=sw["help_pairings"]["e1"])  # 张三's pairing
    with pytest.raises(ValidationError):
        give(household, timezone.localdate() + datetime.timedelta(days=1))
    assert Assistance.objects.count() == before


def test_a_grid_worker_may_not_record_for_another_grid(world, sw):
    actor = actor_of(world.users["grid_worker_2"])
    with pytest.raises(Http404):
        services.record_assistance(
            world.residents["zhang"].household, actor=actor, given_on=DAY, kind=AssistanceKind.MONEY,
            description="慰问金", source=AssistanceSource.PROGRAMME, programme="节日慰问", amount=Decimal("200"),
        )  # fmt: skip


def test_assistance_for_many_households_is_what_one_at_a_time_writes(world, sw):
    from linli.core.models import ChangeRecord

    festival = {"kind": AssistanceKind.GOODS, "description": "月饼", "source": AssistanceSource.PROGRAMME,
                "programme": "节日慰问", "quantity": 1, "given_by": "社区工作人员"}  # fmt: skip
    homes = [world.residents[k].household for k in ("zhang", "chen", "zhao")]
    one = services.record_assistance(homes[0], actor=SYSTEM, given_on=DAY, **festival)
    many = services.record_assistance_many(homes[1:], actor=SYSTEM, given_on=DAY, **festival)
    assert [a.household_id for a in many] == [h.pk for h in homes[1:]] and all(a.pk for a in many)

    def written(row):
        record = ChangeRecord.objects.get(object_id=row.pk, content_type__model="assistance")
        row = Assistance.objects.get(pk=row.pk)
        fields = [(f.name, getattr(row, f.attname)) for f in Assistance._meta.fields if f.name not in ("id", "household",
                  "community", "street", "created_at")]  # fmt: skip
        household = row.household
        assert (row.community_id, row.street_id) == (
            household.building.community_id,
            household.building.community.street_id,
        )
        return fields, record.changes.keys(), (record.action, record.actor_label, record.source)

    assert written(one)[0] == written(many[0])[0] == written(many[1])[0]
    assert written(one)[1:] == written(many[0])[1:] == written(many[1])[1:]
    assert written(one)[1]  # the record lists the fields written


def test_assistance_for_many_households_refuses_them_all_when_one_is_out_of_scope(world, sw):
    actor = actor_of(world.users["grid_worker_2"])
    before = Assistance.objects.count()
    homes = [world.residents[k].household for k in ("wang", "zhang")]  # 王五 in grid 2, 张三 in grid 1
    with pytest.raises(Http404):
        services.record_assistance_many(
            homes, actor=actor, given_on=DAY, kind=AssistanceKind.GOODS, description="月饼",
            source=AssistanceSource.PROGRAMME, programme="节日慰问",
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.record_assistance_many(
            homes[:1], actor=actor, given_on=DAY, kind=AssistanceKind.MONEY, description="慰问金",
            source=AssistanceSource.PROGRAMME, programme="节日慰问",
        )  # fmt: skip
    assert Assistance.objects.count() == before


def test_one_live_pairing_per_helper_and_household(world, sw):
    pairing = sw["help_pairings"]["e1"]
    with pytest.raises(ValidationError):
        services.pair(
            pairing.household, actor=SYSTEM, helper_kind=HelperKind.VOLUNTEER, volunteer=pairing.volunteer,
            started_on=DAY,
        )  # fmt: skip
    services.end_pairing(pairing, actor=SYSTEM, ended_on=DAY, reason="搬家")
    again = services.pair(
        pairing.household, actor=SYSTEM, helper_kind=HelperKind.VOLUNTEER, volunteer=pairing.volunteer, started_on=DAY
    )
    assert HelpPairing.objects.filter(household=pairing.household).count() == 2 and again.is_live


def test_exports_are_logged(client, world, sw):
    client.force_login(world.users["secretary"])
    for name in ("support:assistance_export", "support:care_export", "support:organisation_export"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        b"".join(response.streaming_content)
    assert ExportRecord.objects.filter(user=world.users["secretary"]).count() == 3


def test_the_public_merchant_page_shows_offers_and_no_contacts(client, world, sw):
    page = client.get(reverse("support:merchant_public", args=[world.communities["e1"].code])).content.decode()
    assert "东一超市" in page and "老人购物九五折" in page and "2025年好商家" in page
    assert "1381111" not in page and "西一" not in page
    assert client.get(reverse("support:merchant_public", args=["nope"])).status_code == 404


def test_a_directory_name_is_there_once_per_community(world, sw):
    with pytest.raises(ValidationError):
        make_org(world.communities["e1"], "东一超市")
    assert make_org(world.communities["e2"], "东一超市").pk


def test_the_unfiltered_care_table_lists_the_areas_households_in_need_in_walking_order(client, world, sw):
    from linli.residents.services import bulk_tag, mark_resident_left
    from linli.testing import make_resident

    # 孙七 (西街) joins a care group: his household is the other street's, never the 东街 admin's.
    bulk_tag([world.residents["sun"].pk], world.tag("living_alone"), add=True, actor=SYSTEM)
    # A resident who moved out (钱八, 低保, 东二) makes no household in need.
    qian = make_resident(world.buildings["b3"], "钱八", room="202", seq=7, tags=["dibao"])
    mark_resident_left(qian, status="moved_out", date=datetime.date(2026, 1, 5), actor=SYSTEM)
    client.force_login(world.users["street_admin"])
    page = client.get(reverse("support:care_table")).content.decode()
    listed = [int(part.split("/", 1)[0]) for part in page.split("/support/households/")[1:]]
    r = world.residents
    # b1 (number 1, 东一): 张三 101 and 陈奶奶 201 (entrance 1) then 李四 502 (entrance 2); b2 王五. 赵六 (elderly60
    # only) is in no care group; 钱八 moved out.
    expected = [r["zhang"].household_id, r["chen"].household_id, r["li"].household_id, r["wang"].household_id]
    assert listed == list(dict.fromkeys(expected))
    assert f'data-list-total="{len(set(expected))}"' in page
    client.force_login(world.users["grid_worker_2"])
    page = client.get(reverse("support:care_table")).content.decode()
    assert [int(part.split("/", 1)[0]) for part in page.split("/support/households/")[1:]] == [r["wang"].household_id]
