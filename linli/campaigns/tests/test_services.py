"""Setting up a campaign, building its list with the audience picker, recording outcomes (scope, history, closed
campaigns, odd input) and the tie-in with visits."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from linli.campaigns import services
from linli.campaigns.choices import CampaignStatus
from linli.campaigns.models import Campaign, CampaignTarget
from linli.campaigns.progress import progress
from linli.campaigns.testing import make_campaign, target_of
from linli.core.audit import actor_of
from linli.core.models import ChangeRecord
from linli.notices.audience import Audience
from linli.visits.models import Visit

pytestmark = pytest.mark.django_db


def test_a_new_campaign_has_the_default_outcomes(world):
    campaign = services.create_campaign(
        actor=actor_of(world.users["staff"]),
        community=world.communities["e1"],
        name="养老保险资格认证",
        deadline=datetime.date(2026, 12, 31),
    )
    assert [o.label for o in campaign.outcomes.all()] == [
        "已线上自助完成",
        "上门协助完成",
        "外出不在本地",
        "已去世",
        "不需要",
    ]
    assert [o.code for o in campaign.outcomes.filter(in_person=True)] == ["in_person"]
    assert list(campaign.outcomes.filter(is_done=False).values_list("label", flat=True)) == ["外出不在本地"]


def test_a_grid_worker_cannot_set_up_a_campaign(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_campaign(
            actor=actor_of(world.users["grid_worker_1"]),
            community=world.communities["e1"],
            name="人口普查",
            deadline=datetime.date(2026, 12, 31),
        )


def test_odd_input_gets_chinese_messages_and_changes_nothing(world):
    staff = actor_of(world.users["staff"])
    with pytest.raises(ValidationError) as exc:
        services.create_campaign(
            actor=staff,
            community=world.communities["e1"],
            name="  ",
            deadline=None,
            starts_on=datetime.date(2026, 1, 1),
        )
    assert exc.value.message_dict == {"name": ["请填写专项工作名称。"], "deadline": ["请填写截止日期。"]}
    with pytest.raises(ValidationError) as exc:
        services.create_campaign(
            actor=staff,
            community=world.communities["e1"],
            name="医保缴费",
            starts_on=datetime.date(2026, 3, 1),
            deadline=datetime.date(2026, 2, 1),
        )
    assert exc.value.message_dict == {"deadline": ["截止日期不能早于开始日期。"]}
    assert not Campaign.objects.exists()


def test_the_60_plus_list_holds_exactly_the_registrys_60_plus_residents(world):
    campaign = make_campaign(
        world.communities["e1"], audience=Audience(community_id=world.communities["e1"].pk, age_min=60)
    )
    # 东一: 张三, 陈奶奶, 王五 were born in 1950; 李四 in 1985.
    assert set(campaign.targets.values_list("resident__name", flat=True)) == {"张三", "陈奶奶", "王五"}
    assert (campaign.target_count, campaign.done_count) == (3, 0)
    assert campaign.audience_label == "全社区 · 60岁以上"


def test_adding_the_same_audience_twice_adds_nobody_twice(world):
    campaign = make_campaign(world.communities["e1"])
    added = services.add_targets_from_audience(
        campaign, Audience(community_id=campaign.community_id), actor=actor_of(world.users["staff"])
    )
    assert added == 0
    assert campaign.targets.count() == 4


def test_only_managers_and_staff_build_the_list(world):
    from django.core.exceptions import PermissionDenied

    campaign = make_campaign(
        world.communities["e1"],
        start=False,
        audience=Audience(community_id=world.communities["e1"].pk, grid_ids=(world.grids["g2"].pk,)),
    )
    with pytest.raises(PermissionDenied):
        services.add_targets_from_audience(
            campaign, Audience(community_id=campaign.community_id), actor=actor_of(world.users["grid_worker_1"])
        )
    assert set(campaign.targets.values_list("resident__name", flat=True)) == {"王五"}


def test_another_communitys_audience_is_refused(world):
    campaign = make_campaign(world.communities["e1"], start=False)
    with pytest.raises(ValidationError) as exc:
        services.add_targets_from_audience(
            campaign, Audience(community_id=world.communities["w1"].pk), actor=actor_of(world.users["street_admin"])
        )
    assert exc.value.message_dict == {"audience": ["筛选条件不属于这项工作的社区。"]}


def test_recording_an_outcome_counts_it_done_and_keeps_the_history(world):
    campaign = make_campaign(world.communities["e1"])
    zhang = target_of(campaign, world.residents["zhang"])
    worker = actor_of(world.users["grid_worker_1"])
    services.record_outcome(zhang, "away", actor=worker, note="在儿子家")
    campaign.refresh_from_db()
    assert campaign.done_count == 0  # 外出不在本地 is not done
    services.record_outcome(zhang, "online", actor=worker)
    campaign.refresh_from_db()
    zhang.refresh_from_db()
    assert (zhang.outcome.label, zhang.done, zhang.note, zhang.recorded_by) == (
        "已线上自助完成",
        True,
        "",
        world.users["grid_worker_1"],
    )
    assert campaign.done_count == 1
    history = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(CampaignTarget), object_id=zhang.pk
    ).order_by("id")
    assert [r.note for r in history] == ["登记结果：外出不在本地", "登记结果：已线上自助完成"]


def test_a_grid_worker_cannot_record_another_grids_target(world):
    campaign = make_campaign(world.communities["e1"])
    zhang = target_of(campaign, world.residents["zhang"])  # grid 1
    with pytest.raises(Http404):
        services.record_outcome(zhang, "online", actor=actor_of(world.users["grid_worker_2"]))
    zhang.refresh_from_db()
    assert zhang.outcome is None


def test_a_closed_campaign_refuses_outcomes_until_reopened(world):
    campaign = make_campaign(world.communities["e1"])
    staff = actor_of(world.users["staff"])
    services.close_campaign(campaign, actor=staff)
    zhang = target_of(campaign, world.residents["zhang"])
    with pytest.raises(ValidationError) as exc:
        services.record_outcome(zhang, "online", actor=actor_of(world.users["grid_worker_1"]))
    assert exc.value.messages == ["这项专项工作已结束，不能再登记结果。"]
    services.reopen_campaign(campaign, actor=staff)
    services.record_outcome(zhang, "online", actor=actor_of(world.users["grid_worker_1"]))
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.ACTIVE


def test_an_outcome_of_another_campaign_is_refused_in_chinese(world):
    mine = make_campaign(world.communities["e1"])
    other = make_campaign(world.communities["e1"], name="医保缴费")
    zhang = target_of(mine, world.residents["zhang"])
    for bad in (other.outcomes.first(), "nonsense", "", 999999):
        with pytest.raises(ValidationError) as exc:
            services.record_outcome(zhang, bad, actor=actor_of(world.users["grid_worker_1"]))
        assert exc.value.message_dict == {"outcome": ["请选择这项工作的一个结果。"]}
    with pytest.raises(ValidationError) as exc:
        services.record_outcome(zhang, "online", actor=actor_of(world.users["grid_worker_1"]), note="长" * 201)
    assert exc.value.message_dict == {"note": ["备注最多200个字。"]}


def test_in_person_for_a_care_group_resident_logs_one_visit_not_two(world):
    campaign = make_campaign(world.communities["e1"])
    chen = target_of(campaign, world.residents["chen"])  # 独居老人: a care group with a visit interval
    worker = actor_of(world.users["grid_worker_1"])
    before = Visit.objects.filter(resident=world.residents["chen"]).count()
    services.record_outcome(chen, "in_person", actor=worker)
    services.record_outcome(chen, "in_person", actor=worker, note="帮助刷脸认证")  # re-recorded the same day
    visits = Visit.objects.filter(resident=world.residents["chen"])
    assert visits.count() == before + 1
    visit = visits.latest("id")
    chen.refresh_from_db()
    assert chen.visit == visit
    assert (visit.outcome, visit.visited_on, visit.visitor) == (
        "met",
        timezone.localdate(),
        world.users["grid_worker_1"],
    )
    assert visit.findings == "专项工作：养老保险资格认证：上门协助完成"
    world.residents["chen"].refresh_from_db()
    assert world.residents["chen"].visit_due_on > timezone.localdate()  # the visit moved the due date


def test_in_person_for_a_resident_outside_care_groups_logs_no_visit(world):
    campaign = make_campaign(world.communities["e1"])
    li = target_of(campaign, world.residents["li"])  # 残疾人 (no visit interval in the default tags?)
    has_interval = world.residents["li"].tags.filter(visit_interval_days__isnull=False).exists()
    services.record_outcome(li, "in_person", actor=actor_of(world.users["grid_worker_1"]))
    li.refresh_from_db()
    assert (li.visit is not None) == has_interval
    # and an online outcome never logs a visit
    zhang = target_of(campaign, world.residents["zhang"])
    services.record_outcome(zhang, "online", actor=actor_of(world.users["grid_worker_1"]))
    zhang.refresh_from_db()
    assert zhang.visit is None


def test_progress_per_grid_building_and_worker_equals_hand_counts(world):
    campaign = make_campaign(world.communities["e1"])
    g1, g2 = actor_of(world.users["grid_worker_1"]), actor_of(world.users["grid_worker_2"])
    services.record_outcome(target_of(campaign, world.residents["zhang"]), "online", actor=g1)
    services.record_outcome(target_of(campaign, world.residents["li"]), "away", actor=g1)
    services.record_outcome(target_of(campaign, world.residents["wang"]), "deceased", actor=g2)
    p = progress(campaign, world.users["secretary"])
    assert (p["total"].total, p["total"].done, p["total"].open) == (4, 2, 2)
    grids = {line.label: (line.total, line.done) for line in p["grids"]}
    assert grids == {"东一第1网格": (3, 1), "东一第2网格": (1, 1)}
    buildings = {line.key: (line.total, line.done) for line in p["buildings"]}
    assert buildings == {world.buildings["b1"].pk: (3, 1), world.buildings["b2"].pk: (1, 1)}
    workers = {line.key: (line.recorded, line.done) for line in p["workers"]}
    assert workers == {world.users["grid_worker_1"].pk: (2, 1), world.users["grid_worker_2"].pk: (1, 1)}
    assert p["unrecorded"] == 1
    # a grid worker's figures are their grid's
    mine = progress(campaign, world.users["grid_worker_2"])
    assert (mine["total"].total, mine["total"].done) == (1, 1)
    campaign.refresh_from_db()
    assert (campaign.target_count, campaign.done_count) == (4, 2)


def test_removing_targets_keeps_the_counts_right_and_refuses_other_scopes(world):
    campaign = make_campaign(world.communities["e1"])
    services.record_outcome(
        target_of(campaign, world.residents["zhang"]), "online", actor=actor_of(world.users["staff"])
    )
    zhang = target_of(campaign, world.residents["zhang"])
    assert services.remove_targets(campaign, [zhang.pk], actor=actor_of(world.users["staff"])) == 1
    campaign.refresh_from_db()
    assert (campaign.target_count, campaign.done_count) == (3, 0)
    other = make_campaign(world.communities["w1"], name="西一认证")
    with pytest.raises(Http404):
        services.remove_targets(
            campaign, [target_of(other, world.residents["sun"]).pk], actor=actor_of(world.users["staff"])
        )
    assert other.targets.count() == 1


def test_an_outcome_in_use_cannot_be_deleted(world):
    campaign = make_campaign(world.communities["e1"])
    staff = actor_of(world.users["staff"])
    services.record_outcome(target_of(campaign, world.residents["zhang"]), "online", actor=staff)
    with pytest.raises(ValidationError) as exc:
        services.delete_outcome(campaign.outcomes.get(code="online"), actor=staff)
    assert exc.value.messages == ["已有居民登记为“已线上自助完成”，不能删除这个结果。"]
    extra = services.add_outcome(campaign, actor=staff, label="已在外地认证", is_done=True, in_person=False)
    services.delete_outcome(extra, actor=staff)
    assert not campaign.outcomes.filter(label="已在外地认证").exists()


def test_the_campaigns_notice_goes_to_exactly_its_targets_kept_in_sync(world):
    from linli.notices.audience import Audience as A
    from linli.notices.models import SavedAudience

    campaign = make_campaign(
        world.communities["e1"], audience=Audience(community_id=world.communities["e1"].pk, age_min=60)
    )
    staff = actor_of(world.users["staff"])
    notice = services.create_notice(campaign, actor=staff)
    campaign.refresh_from_db()
    assert campaign.notice == notice and notice.status == "draft"
    saved = SavedAudience.objects.get(pk=notice.audience["saved_list_id"])
    assert saved.name == "专项工作：养老保险资格认证"
    reached = set(A.from_dict(notice.audience).residents().values_list("name", flat=True))
    assert reached == {"张三", "陈奶奶", "王五"}
    services.remove_targets(campaign, [target_of(campaign, world.residents["wang"]).pk], actor=staff)
    assert set(A.from_dict(notice.audience).residents().values_list("name", flat=True)) == {"张三", "陈奶奶"}
    assert services.create_notice(campaign, actor=staff) == notice  # the draft is reused, not duplicated
