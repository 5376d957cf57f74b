"""On the demo (8,234 residents of 青和居), nothing a screen receives names a resident: every panel of the page and
its data, for the demo's community screen (its link printed by `linli demo`) and a screen of the whole street, carry
no resident's name, phone, ID number or room. The names of people who agreed to be named (the demo's volunteer
login) are the only names allowed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from linli.areas.models import Household
from linli.bigscreen.choices import DEFAULT_PANELS
from linli.bigscreen.models import WallConsent
from linli.bigscreen.testing import make_screen
from linli.lovebank.models import Account
from linli.residents.models import EmergencyContact, Resident
from linli.volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def everything(client, key) -> str:
    page = client.get(reverse("bigscreen:screen_show", args=[key]))
    payload = client.get(reverse("bigscreen:screen_data", args=[key]))
    assert page.status_code == payload.status_code == 200
    return page.content.decode() + payload.content.decode()


def test_no_screen_of_the_demo_names_a_resident(demo_output, qinghe, client):
    key = re.search(r"/bigscreen/show/(dp_[\w-]+)/", demo_output).group(1)
    _, street_key = make_screen(street=qinghe.street, panels=list(DEFAULT_PANELS))
    text = everything(client, key) + everything(client, street_key)

    agreed = WallConsent.objects.filter(consent=True)
    consented = set(Volunteer.objects.filter(resident__in=agreed.values("resident")).values_list("name", flat=True))
    consented |= set(Volunteer.objects.filter(pk__in=agreed.values("volunteer")).values_list("name", flat=True))
    consented |= {
        a.name for a in Account.objects.filter(resident__in=agreed.values("resident")).select_related("resident")
    }
    consented |= {a.name for a in Account.objects.filter(pk__in=agreed.values("account")).select_related("resident")}
    residents = Resident.objects.filter(community__street=qinghe.street)
    names = {n for n in residents.values_list("name", flat=True) if len(n) >= 2} - consented
    phones = {p for p in residents.values_list("phone", flat=True) if p}
    phones |= set(EmergencyContact.objects.filter(resident__in=residents).values_list("phone", flat=True))
    ids = {r.reveal_id_number() for r in residents.only("id_cipher") if r.id_cipher}
    rooms = set()
    for household in Household.objects.filter(building__community__street=qinghe.street).select_related("building"):
        rooms |= {household.address, f"{household.entrance}单元{household.room}", f"{household.room}室"}
    assert len(names) > 5000 and len(phones) > 1000 and len(ids) > 8000 and len(rooms) > 3000

    found = [n for n in names if n in text] + [p for p in phones if p in text] + [i for i in ids if i in text]
    found += [r for r in rooms if r in text]
    assert found == []
    assert "好人好事墙" in text and "一位" in text or "位志愿者" in text  # the wall is there, anonymous
