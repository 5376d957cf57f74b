"""The objects the scope matrix (tests/test_scope_matrix.py) opens: one of each kind in the personas' own area
(东一社区, grid 1, 东街) and one in another area (西一社区 of 西街), built once per test module.

`objects[kind][key]` is a model instance (its pk goes in the URL), a string (a code in the URL) or a tuple of
pks (a URL with two arguments).
"""

from __future__ import annotations

import contextlib
import datetime
import io

from django.core.files.base import ContentFile

from linli.core.audit import actor_of
from linli.testing import SYSTEM, build_world


@contextlib.contextmanager
def built_once(django_db_blocker, router, media):
    """For a module-scoped fixture: what it builds inside this block stays for the module's tests (each runs in a
    savepoint of this transaction) and is rolled back at the end. Passwords hash fast, uploads go to `media`, and
    appeals are routed by the session's model (conftest's _shipped_router), as the function-scoped fixtures do."""
    from django.db import transaction
    from django.test import override_settings

    from linli.appeals.routing import services as routing

    routing._remember(0, router)
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


def _photo():
    from linli.attachments.tests.images import jpeg_bytes, upload

    return upload(jpeg_bytes(size=(60, 40)))


def _sheet() -> bytes:
    """A one-row .xlsx under a 12345 hotline header (the ledger importer reads it too)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["工单编号", "来电时间", "诉求内容", "地址", "联系人", "联系电话", "办理时限"])
    book.active.append(["GD0001", "2026-11-20 09:00:00", "楼道灯坏了。", "东一社区1栋", "李先生", "13987654321", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_matrix_world():
    """The core world (linli.testing) plus every app's objects, keyed by kind then area."""
    from linli.accounts.tokens import issue_token
    from linli.afterschool.testing import matrix_objects as afterschool_objects
    from linli.appeals import services_problems as problems
    from linli.appeals.defaults import install_default_directory
    from linli.appeals.models import Category, HandlingUnit, Organisation, UnitBinding
    from linli.appeals.services import create_appeal, dispatch
    from linli.attachments.services import attach_photos, prepare_photos
    from linli.bigscreen.testing import matrix_objects as screen_objects
    from linli.certificates.testing import matrix_objects as certificate_objects
    from linli.channels.testing import matrix_objects as channel_objects
    from linli.deliberation.testing import matrix_objects as deliberation_objects
    from linli.deliberation.testing_hearings import matrix_objects as hearing_objects
    from linli.hall.testing import matrix_objects as hall_objects
    from linli.hotline.models import HotlineImport
    from linli.ledgers.models import ImportJob
    from linli.lovebank import services as lovebank
    from linli.lovebank.models import Transaction
    from linli.lovebank.testing import add_lovebank, make_item
    from linli.notices.testing import matrix_objects as notice_objects
    from linli.notices.testing_confirm import confirm_matrix_objects as confirm_objects
    from linli.notices.testing_public import public_matrix_objects
    from linli.notifications.models import Notification
    from linli.notifications.services import notify
    from linli.open311.services import issue_key
    from linli.party.testing import matrix_objects as party_objects
    from linli.places.testing import matrix_objects as place_objects
    from linli.residents import testing as residents_testing
    from linli.residents.services_contacts import add_contact
    from linli.support.testing import matrix_objects as support_objects
    from linli.visits.models import VisitAlert
    from linli.visits.services import create_note
    from linli.volunteers.models import Team
    from linli.volunteers.services import mark_attendance, save_team, sign_up
    from linli.volunteers.tests.helpers import activity, team_led_by, volunteer
    from linli.votes.testing import matrix_objects as vote_objects
    from linli.wishes.testing import matrix_objects as wish_objects
    from linli.workdays.models import HolidayOverride
    from linli.workreports.testing import matrix_objects as workreport_objects

    world = build_world()
    add_lovebank(world)
    objects = {
        "streets": world.streets,
        "communities": world.communities,
        "grids": world.grids,
        "buildings": world.buildings,
        "residents": world.residents,
        "users": world.users,
        "accounts": world.accounts,
        "items": world.items,
        "deeds": world.deeds,
    }
    objects.update(wish_objects(world))  # adds users volunteer2 and w1_staff (西一社区)
    objects.update(residents_testing.matrix_objects(world))
    objects.update(hearing_objects(world))  # matters, meetings, questionnaires, table talks (民事民议 hearings)
    objects.update(vote_objects(world))
    objects.update(channel_objects(world))  # WeChat groups and sending batches (linli/channels/testing.py)
    objects.update(public_matrix_objects(world))  # sent notices of 东一 and 西一 (print pages)
    objects.update(notice_objects(world))  # notices, draft_notices, saved_audiences (通知公告)
    objects.update(
        party_objects(world)
    )  # 党建: orgs, units, members, 中心户, pairings, meetings (linli/party/testing.py)
    objects.update(place_objects(world))  # 功能室: rooms, bookings, series (linli/places/testing.py)
    objects.update(afterschool_objects(world))  # 四点半学校 (linli/afterschool/testing.py)
    objects.update(hall_objects(world))  # 便民服务 (linli/hall/testing.py)
    objects.update(certificate_objects(world))  # 社区证明 (linli/certificates/testing.py)
    objects.update(support_objects(world))  # 帮扶与共建 (linli/support/testing.py)
    objects.update(screen_objects(world))  # 社区大屏 (linli/bigscreen/testing.py)
    objects.update(workreport_objects(world))  # 工作报告 (linli/workreports/testing.py)
    e1, w1 = world.communities["e1"], world.communities["w1"]
    objects["households"] = {key: world.residents[key].household for key in ("zhang", "wang", "sun")}
    objects["contacts"] = {
        key: add_contact(world.residents[key], actor=SYSTEM, name="家属", relation="child", phone="13911112222")
        for key in ("zhang", "sun")
    }

    # accounts: API tokens of a user of 东一 grid 1 and of 西一社区
    tokens = {
        "grid_worker_1": issue_token(world.users["grid_worker_1"], actor=SYSTEM, name="看板")[0],
        "w1_staff": issue_token(world.users["w1_staff"], actor=SYSTEM, name="看板")[0],
        "secretary": issue_token(world.users["secretary"], actor=SYSTEM, name="看板")[0],
    }
    objects["tokens"] = tokens
    objects["user_tokens"] = {key: (world.users[key].pk, token.pk) for key, token in tokens.items()}

    # ledgers and hotline imports
    def job(model, key, name):
        return model.objects.create(
            community=world.communities[key],
            created_by=world.users["secretary" if key == "e1" else "w1_staff"],
            file=ContentFile(_sheet(), name=name),
            original_name=name,
            preview={"headers": ["姓名"], "rows": [], "row_total": 0},
        )

    objects["import_jobs"] = {key: job(ImportJob, key, "台账.xlsx") for key in ("e1", "w1")}
    objects["hotline_imports"] = {key: job(HotlineImport, key, "工单.xlsx") for key in ("e1", "w1")}

    # visits
    objects["alerts"] = {
        key: VisitAlert.objects.create(resident=world.residents[key], reason="missed") for key in ("zhang", "sun")
    }
    objects["notes"] = {
        "g1": create_note(actor=actor_of(world.users["grid_worker_1"]), text="张三家下水道堵了"),
        "w1": create_note(actor=actor_of(world.users["w1_staff"]), text="孙七家门口堆物", grid=world.grids["g4"]),
    }

    # notifications: one message for the secretary
    notify([world.users["secretary"]], kind="system", title="去走访", url="/visits/")
    objects["notifications"] = {"secretary": Notification.objects.get(user=world.users["secretary"])}

    # appeals: 东一物业服务中心 (dept_handler) bound in 东一社区, 西一物业 in 西一社区
    install_default_directory(HandlingUnit, Category)
    unit = HandlingUnit.objects.get(code="property")
    orgs = {
        "e1": Organisation.objects.create(name="东一物业服务中心", unit=unit, street=world.streets["east"]),
        "w1": Organisation.objects.create(name="西一物业服务中心", unit=unit, street=world.streets["west"]),
    }
    orgs["e1"].handlers.set([world.users["dept_handler"]])
    for key, org in orgs.items():
        UnitBinding.objects.create(community=world.communities[key], unit=unit, organisation=org)
    objects["orgs"] = orgs
    objects["units"] = {"property": unit}
    objects["categories"] = {"corridor_light": Category.objects.get(code="corridor_light")}
    light = objects["categories"]["corridor_light"]

    def appeal(building):
        return create_appeal(
            actor=SYSTEM,
            building=world.buildings[building],
            category=light,
            text="楼道灯坏了一个星期。",
            channel="phone",
            reporter_name="王阿姨",
            reporter_phone="13800001111",
        )

    appeals = {"e1": appeal("b1"), "e1d": appeal("b1"), "w1": appeal("b4")}
    dispatch(appeals["e1d"], unit, actor=SYSTEM)  # with 东一物业服务中心, whose handler is dept_handler
    objects["appeals"] = appeals
    objects["photos"] = {
        key: attach_photos(appeals[key], prepare_photos([_photo()]), actor=SYSTEM)[0] for key in ("e1", "w1")
    }
    objects["problem_lists"] = {
        key: problems.create_list(actor=SYSTEM, name="问题清单", year=2026, community=world.communities[key])
        for key in ("e1", "w1")
    }
    items = {key: problems.add_item(pl, actor=SYSTEM, title="楼道堆物") for key, pl in objects["problem_lists"].items()}
    for key, item in items.items():
        problems.link_appeal(item, appeals[key], actor=SYSTEM)
    objects["problem_items"] = items
    objects["item_links"] = {key: (items[key].pk, appeals[key].pk) for key in items}

    # workdays, open311
    objects["holidays"] = {
        "new_year": HolidayOverride.objects.create(date=datetime.date(2031, 1, 1), is_workday=False, name="元旦")
    }
    objects["apikeys"] = {
        key: issue_key(actor=SYSTEM, name="随手拍", community=c)[0] for key, c in (("e1", e1), ("w1", w1))
    }

    # volunteers: in 东一社区 the `volunteer` persona leads a team; 西一社区 has the same without them
    for key in ("e1", "w1"):
        mine = volunteer(
            world, name=f"{key}本人", community=key, user=world.users["volunteer"] if key == "e1" else None
        )
        team = team_led_by(world, mine, name=f"{key}服务队") if key == "e1" else None
        objects.setdefault("activities", {})[key] = a = activity(world, community=key, team=team, start=-0.5)
        objects.setdefault("volunteers", {})[f"self_{key}"] = mine
        objects["volunteers"][f"other_{key}"] = other = volunteer(world, name=f"{key}别人", community=key)
        objects.setdefault("teams", {})[key] = team
        a.signups.create(volunteer=other, status="confirmed", signed_up_at=a.starts_at)
        objects.setdefault("attendances", {})[key] = mark_attendance(a, other, actor=SYSTEM)
        later = activity(world, community=key, start=48)
        objects.setdefault("signups", {})[key] = sign_up(later, mine, actor=SYSTEM)
    objects["teams"]["w1"] = save_team(Team(community=w1, name="西一服务队"), actor=SYSTEM)

    # love bank: a redemption, an award and a pending deed in each of 东一 and 西一
    objects["items"]["w1_soap"] = make_item(w1, "肥皂", 5, 10)
    objects["redemptions"] = {
        "chen": lovebank.redeem(world.accounts["chen"], world.items["rice"], actor=SYSTEM, source_key="m-chen"),
        "sun": lovebank.redeem(world.accounts["sun"], objects["items"]["w1_soap"], actor=SYSTEM, source_key="m-sun"),
    }
    objects["transactions"] = {key: Transaction.objects.get(source_key=f"setup:{key}") for key in ("chen", "sun")}
    objects["deeds"]["w1"] = lovebank.report_deed(
        community=w1,
        subject_name="孙七",
        description="帮邻居修水管",
        occurred_on=datetime.date(2026, 11, 20),
        actor=SYSTEM,
    )
    objects.update(deliberation_objects(world, appeals))
    objects.update(mediation_objects(world))
    objects.update(confirm_objects(world))
    objects.update(campaign_objects(world))
    return world, objects


def campaign_objects(world) -> dict:
    """专项工作 (linli/campaigns/testing.py): a campaign over 东一 and one over 西一, their targets and imports."""
    from linli.campaigns.testing import matrix_objects

    return matrix_objects(world)


def mediation_objects(world) -> dict:
    """人民调解 (linli/mediation/testing.py): cases, mediators, rooms and follow-ups in 东一 and 西一."""
    from linli.mediation.testing import matrix_objects

    return matrix_objects(world)
