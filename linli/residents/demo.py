"""Demo emergency contacts: the care-group residents of the demo logins' community get a child or a neighbour to call
(what the 走访提醒 page shows). Written in bulk like the rest of the generated history (no change records)."""

from __future__ import annotations

import random

from linli.core.phone import last4
from linli.residents.choices import ContactRelation
from linli.residents.models import EmergencyContact, Resident

GIVEN = ("建华", "丽娟", "小红", "志强", "海燕", "国庆", "晓明", "秀英", "伟", "敏", "静", "磊", "芳", "军")
NEIGHBOUR_NOTES = ("同楼邻居", "对门邻居", "楼长", "")
CHILD_NOTES = ("在外地工作，晚上打", "住在本区", "在武昌上班", "")


def _mobile(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18")) + "".join(rng.choice("0123456789") for _ in range(9))


def build_demo_contacts(community, *, rng: random.Random, log=lambda line: None) -> int:
    """Contacts for the community's residents in interval-bearing care groups (独居, 空巢, ...)."""
    residents = (
        Resident.objects.filter(community=community, status="active", visit_interval_days__isnull=False)
        .order_by("pk")
        .values_list("pk", "name")
    )
    rows = []
    for pk, name in residents:
        surname = name[:1]
        phone = _mobile(rng)
        rows.append(
            EmergencyContact(
                resident_id=pk,
                name=surname + rng.choice(GIVEN),
                relation=ContactRelation.CHILD,
                phone=phone,
                phone_last4=last4(phone),
                note=rng.choice(CHILD_NOTES),
            )
        )
        if rng.random() < 0.4:
            phone = _mobile(rng)
            rows.append(
                EmergencyContact(
                    resident_id=pk,
                    name=rng.choice("王李张刘陈杨黄赵吴周") + rng.choice(GIVEN),
                    relation=ContactRelation.NEIGHBOUR,
                    phone=phone,
                    phone_last4=last4(phone),
                    note=rng.choice(NEIGHBOUR_NOTES),
                )
            )
    EmergencyContact.objects.bulk_create(rows, batch_size=2000)
    log(f"       {community.name}：紧急联系人{len(rows)}位")
    return len(rows)


def demo_step(demo) -> None:
    """The demo step (shell.py): contacts for the care groups of the community the demo logins work in."""
    build_demo_contacts(demo.community, rng=demo.rng("contacts"), log=demo.log)
