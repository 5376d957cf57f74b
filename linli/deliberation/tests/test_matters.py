"""Raising, accepting, declining, moving and closing matters; a resident's proposal; turning records into
matters once; every change in the change log; refusals in Chinese with nothing changed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from linli.core.models import ChangeRecord
from linli.deliberation import services
from linli.deliberation.choices import MatterScope, MatterSource, MatterStatus, RaisedBy, TurnSource
from linli.deliberation.models import Matter
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_staff_raise_a_matter_that_is_heard_at_once_and_recorded(dw):
    matter = dw.matter("staff", scope=MatterScope.BUILDING, buildings=[dw.world.buildings["b1"]])
    assert matter.status == MatterStatus.HEARING
    assert matter.raised_by == RaisedBy.STAFF
    assert list(matter.households_in_scope()) and all(
        h.building_id == matter.buildings.get().pk for h in matter.households_in_scope()
    )
    record = ChangeRecord.objects.get(object_id=matter.pk, content_type__model="matter")
    assert record.action == "create" and record.changes["楼栋"] == [None, ["1栋"]]


def test_a_grid_workers_matter_waits_for_the_community(dw):
    matter = dw.matter("grid_worker_1", scope=MatterScope.GRID, grid=dw.world.grids["g1"])
    assert matter.status == MatterStatus.PROPOSED and matter.raised_by == RaisedBy.GRID_WORKER
    assert Notification.objects.filter(user=dw.users["staff"], url=matter.get_absolute_url()).exists()


def test_scope_must_match_its_buildings_or_grid(dw):
    with pytest.raises(ValidationError) as exc:
        dw.matter(scope=MatterScope.BUILDING, buildings=[])
    assert exc.value.message_dict["buildings"] == [services.CHOOSE_BUILDING]
    with pytest.raises(ValidationError) as exc:
        dw.matter(scope=MatterScope.GRID, grid=dw.world.grids["g4"])
    assert "不属于东一社区" in exc.value.message_dict["grid"][0]
    with pytest.raises(ValidationError) as exc:
        dw.matter(scope=MatterScope.BUILDINGS, buildings=[dw.world.buildings["b1"], dw.world.buildings["b3"]])
    assert "不属于" in exc.value.message_dict["buildings"][0]
    with pytest.raises(ValidationError) as exc:
        dw.matter(title="   ")
    assert exc.value.message_dict["title"] == [services.TITLE_REQUIRED]
    assert not Matter.objects.exists()


def test_a_grid_worker_of_another_community_cannot_raise_there(dw):
    with pytest.raises(Http404):
        dw.matter("w1_staff", community="e1")
    with pytest.raises(PermissionDenied):
        dw.matter("dept_handler")


def test_accept_and_decline_only_a_proposed_matter_and_tell_who_raised_it(dw):
    proposed = dw.matter("grid_worker_1")
    services.accept_matter(proposed, actor=dw.actor("secretary"))
    proposed.refresh_from_db()
    assert proposed.status == MatterStatus.HEARING
    assert Notification.objects.filter(user=dw.users["grid_worker_1"], title__contains="已受理").exists()
    with pytest.raises(ValidationError):
        services.accept_matter(proposed, actor=dw.actor("secretary"))
    other = dw.matter("grid_worker_1", title="小区停车")
    with pytest.raises(ValidationError) as exc:
        services.decline_matter(other, actor=dw.actor("staff"), reason=" ")
    assert exc.value.message_dict["reason"] == ["请填写原因。"]
    services.decline_matter(other, actor=dw.actor("staff"), reason="属于物业职责，已转物业")
    other.refresh_from_db()
    assert other.status == MatterStatus.DECLINED
    assert ChangeRecord.objects.filter(object_id=other.pk, note__contains="属于物业职责").exists()


def test_a_grid_worker_may_not_accept(dw):
    proposed = dw.matter("grid_worker_1")
    with pytest.raises(PermissionDenied):
        services.accept_matter(proposed, actor=dw.actor("grid_worker_1"))


def test_moves_follow_the_stages_and_close_is_final(dw):
    matter = dw.matter()
    services.move_matter(matter, actor=dw.actor("staff"), status=MatterStatus.VOTING)
    with pytest.raises(ValidationError) as exc:
        services.move_matter(matter, actor=dw.actor("staff"), status=MatterStatus.PROPOSED)
    assert "不能从“表决中”改为“待受理”" in exc.value.message_dict["status"][0]
    services.close_matter(matter, actor=dw.actor("staff"))
    matter.refresh_from_db()
    assert matter.status == MatterStatus.DONE and matter.closed_at
    with pytest.raises(ValidationError):
        services.update_matter(matter, actor=dw.actor("staff"), title="改")
    with pytest.raises(ValidationError):
        services.move_matter(matter, actor=dw.actor("staff"), status=MatterStatus.HEARING)


def test_edit_changes_the_scope_and_records_before_and_after(dw):
    matter = dw.matter()
    services.update_matter(
        matter,
        actor=dw.actor("staff"),
        scope=MatterScope.BUILDINGS,
        buildings=[dw.world.buildings["b1"], dw.world.buildings["b2"]],
    )
    record = ChangeRecord.objects.filter(object_id=matter.pk, action="update").get()
    assert record.changes["范围"] == ["全社区", "几栋楼"]
    assert record.changes["楼栋"] == [[], ["1栋", "2栋"]]


def test_a_resident_proposes_about_their_building_and_staff_are_told(dw):
    matter = services.propose_matter(actor=dw.actor("resident"), title="1栋楼道装扶手", description="老人多")
    assert matter.status == MatterStatus.PROPOSED and matter.raised_by == RaisedBy.RESIDENT
    assert matter.raised_by_resident == dw.world.residents["chen"]
    assert list(matter.buildings.all()) == [dw.world.buildings["b1"]]
    assert Notification.objects.filter(user=dw.users["secretary"], title__contains="居民提议").exists()
    assert list(Matter.objects.restrict(dw.users["resident"])) == [matter]
    dw.matter("staff", title="别人的议题")
    assert list(Matter.objects.restrict(dw.users["resident"])) == [matter]
    with pytest.raises(ValidationError) as exc:
        services.propose_matter(actor=dw.actor("resident"), title="")
    assert exc.value.message_dict["title"] == [services.TITLE_REQUIRED]


def test_only_residents_propose(dw):
    with pytest.raises(PermissionDenied):
        services.propose_matter(actor=dw.actor("volunteer"), title="x")


def _appeal(dw, building="b1"):
    from linli.appeals.services import create_appeal
    from linli.testing import SYSTEM

    return create_appeal(
        actor=SYSTEM,
        building=dw.world.buildings[building],
        text="3栋想装电梯\n很多老人上楼难",
        channel="phone",
        reporter_name="王阿姨",
    )


def test_an_appeal_turns_into_a_matter_once_prefilled_from_it(dw):
    appeal = _appeal(dw)
    matter = services.turn_into_matter(dw.actor("staff"), TurnSource.APPEAL, appeal)
    assert matter.source == MatterSource.APPEAL and matter.source_id == appeal.pk
    assert matter.title == "3栋想装电梯" and "很多老人上楼难" in matter.description
    assert matter.scope == MatterScope.BUILDING and list(matter.buildings.all()) == [dw.world.buildings["b1"]]
    with pytest.raises(ValidationError) as exc:
        services.turn_into_matter(dw.actor("secretary"), TurnSource.APPEAL, appeal)
    assert exc.value.messages == [services.ALREADY_TURNED]
    assert Matter.objects.count() == 1


def test_a_diary_note_and_a_problem_item_turn_into_matters(dw):
    from linli.appeals import services_problems as problems
    from linli.core.audit import actor_of
    from linli.visits.services import create_note

    note = create_note(actor=actor_of(dw.users["grid_worker_1"]), text="居民说楼下停车乱", grid=dw.world.grids["g1"])
    matter = services.turn_into_matter(dw.actor("grid_worker_1"), TurnSource.DIARY, note)
    assert (
        matter.source == MatterSource.DIARY and matter.scope == MatterScope.GRID and matter.grid == dw.world.grids["g1"]
    )
    plist = problems.create_list(
        actor=dw.actor("secretary"), name="办实事", year=2026, community=dw.world.communities["e1"]
    )
    item = problems.add_item(plist, actor=dw.actor("secretary"), title="小区路灯不亮")
    matter = services.turn_into_matter(dw.actor("staff"), TurnSource.PROBLEM, item)
    assert matter.title == "小区路灯不亮" and matter.scope == MatterScope.COMMUNITY and "办实事" in matter.description


def test_turning_into_a_matter_checks_scope(dw):
    appeal = _appeal(dw, building="b4")
    with pytest.raises(Http404):
        services.source_object(TurnSource.APPEAL, appeal.pk, dw.users["staff"])
    with pytest.raises(Http404):
        services.turn_into_matter(dw.actor("staff"), TurnSource.APPEAL, appeal)
