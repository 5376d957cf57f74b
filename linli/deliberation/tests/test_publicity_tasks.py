"""公示 (publish, objections, withdraw) and 民事民办 (follow-up tasks, an appeal from a matter)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from linli.core.models import ChangeRecord
from linli.deliberation import services
from linli.deliberation.choices import MatterStatus, TaskStatus
from linli.deliberation.models import FollowUpTask, Objection, Publication
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_publish_puts_it_on_the_board_for_seven_days_and_moves_the_matter(dw):
    matter = dw.matter()
    pub = services.publish(dw.actor("staff"), matter, "关于加装扶手的公示", "经议事会商议，同意加装扶手。")
    assert pub.starts_on == dw.today and pub.ends_on == dw.days(6)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.PUBLICITY
    assert list(Publication.objects.public_board(matter.community, dw.today)) == [pub]
    assert not Publication.objects.public_board(matter.community, dw.days(7)).exists()
    assert ChangeRecord.objects.filter(content_type__model="publication", object_id=pub.pk).exists()


def test_publish_refuses_names_phones_and_rooms(dw):
    matter = dw.matter()
    with pytest.raises(ValidationError) as exc:
        services.publish(dw.actor("staff"), matter, "公示", "张三（1栋2单元502，13812345678）不同意。")
    message = exc.value.message_dict["body"][0]
    assert "不能出现姓名" in message and "13812345678" not in message
    with pytest.raises(ValidationError) as exc:
        services.publish(dw.actor("staff"), matter, "公示", "内容", days=0)
    assert exc.value.message_dict["days"] == [services.BAD_DAYS]
    assert not Publication.objects.exists()


def test_a_proposed_matter_cannot_be_published(dw):
    matter = dw.matter("grid_worker_1")
    with pytest.raises(ValidationError):
        services.publish(dw.actor("staff"), matter, "公示", "内容")


def test_objections_are_recorded_answered_and_withdrawal_takes_it_off_the_board(dw):
    matter = dw.matter()
    pub = services.publish(dw.actor("staff"), matter, "公示", "同意加装扶手。")
    with pytest.raises(ValidationError) as exc:
        services.record_objection(pub, actor=dw.actor("staff"), text="")
    assert exc.value.message_dict["text"] == [services.TEXT_REQUIRED]
    with pytest.raises(ValidationError) as exc:
        services.record_objection(pub, actor=dw.actor("staff"), text="不同意", phone="12")
    assert "phone" in exc.value.message_dict
    objection = services.record_objection(
        pub, actor=dw.actor("staff"), text="扶手挡路", name="王阿姨", phone="13800001111"
    )
    services.respond_objection(objection, actor=dw.actor("secretary"), response="扶手贴墙安装，不挡路。")
    objection.refresh_from_db()
    assert objection.response and objection.responded_at
    record = ChangeRecord.objects.get(content_type__model="objection", object_id=objection.pk, action="create")
    assert "13800001111" not in str(record.changes)
    services.withdraw_publication(pub, actor=dw.actor("staff"), reason="内容有误")
    assert not Publication.objects.public_board(matter.community, dw.today).exists()
    with pytest.raises(ValidationError):
        services.record_objection(pub, actor=dw.actor("staff"), text="再提")
    assert Objection.objects.count() == 1


def test_a_grid_worker_cannot_publish_and_another_community_is_out_of_reach(dw):
    from django.core.exceptions import PermissionDenied

    matter = dw.matter()
    with pytest.raises(PermissionDenied):
        services.publish(dw.actor("grid_worker_1"), matter, "公示", "内容")
    with pytest.raises(Http404):
        services.publish(dw.actor("w1_staff"), matter, "公示", "内容")


def test_a_task_goes_to_its_owner_who_marks_it_done(dw):
    matter = dw.matter()
    task = services.add_task(
        matter, actor=dw.actor("secretary"), title="联系施工队", owner=dw.users["grid_worker_1"], deadline=dw.days(3)
    )
    message = Notification.objects.get(user=dw.users["grid_worker_1"])
    assert "联系施工队" in message.title and message.url == matter.get_absolute_url()
    assert not task.is_overdue(dw.today) and task.is_overdue(dw.days(4))
    services.complete_task(task, actor=dw.actor("grid_worker_1"), note="已联系")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_at and "已联系" in task.note
    with pytest.raises(ValidationError) as exc:
        services.complete_task(task, actor=dw.actor("grid_worker_1"))
    assert exc.value.messages == [services.TASK_DONE]


def test_a_task_needs_an_owner_of_the_community_and_a_deadline_not_past(dw):
    matter = dw.matter()
    with pytest.raises(ValidationError) as exc:
        services.add_task(
            matter,
            actor=dw.actor("staff"),
            title="x",
            owner=dw.users["w1_staff"],
            deadline=dw.today - datetime.timedelta(days=1),
        )
    assert exc.value.message_dict == {"owner": [services.OWNER_ELSEWHERE], "deadline": [services.DEADLINE_PAST]}
    assert not FollowUpTask.objects.exists()


def test_someone_else_without_manage_cannot_complete_a_task(dw):
    from django.core.exceptions import PermissionDenied

    matter = dw.matter()
    task = services.add_task(matter, actor=dw.actor("staff"), title="x", owner=dw.users["staff"], deadline=dw.today)
    with pytest.raises(PermissionDenied):
        services.complete_task(task, actor=dw.actor("grid_worker_2"))


def test_an_appeal_is_made_from_a_matter_in_one_step(dw):
    from linli.appeals.models import Appeal
    from linli.deliberation.choices import MatterScope

    matter = dw.matter(scope=MatterScope.BUILDING, buildings=[dw.world.buildings["b1"]])
    appeal = services.appeal_from_matter(matter, actor=dw.actor("staff"), text="请物业安装扶手")
    assert Appeal.objects.get(pk=appeal.pk).building == dw.world.buildings["b1"]
    assert ChangeRecord.objects.filter(object_id=matter.pk, note="生成诉求").exists()


def test_the_timeline_holds_the_matter_its_publication_and_tasks(dw, client):
    matter = dw.matter()
    services.add_task(matter, actor=dw.actor("staff"), title="联系施工队", owner=dw.users["staff"], deadline=dw.today)
    services.publish(dw.actor("staff"), matter, "扶手公示", "同意加装扶手。")
    notes = [r.note for r in services.timeline(matter)]
    assert notes == ["提出议题", "布置落实任务", "发布公示", "公示：扶手公示"]
    client.force_login(dw.users["staff"])
    body = client.get(reverse("deliberation:matter_detail", args=[matter.pk])).content.decode()
    assert "布置落实任务" in body and "扶手公示" in body


def test_public_text_keeps_paragraphs_and_full_stops_but_not_names(dw):
    text = "经议事会商议，同意加装扶手。\n\n张三家门口不装。"
    shown = services.public_text(dw.world.communities["e1"], text)
    assert shown.startswith("经议事会商议，同意加装扶手。\n") and shown.endswith("。") and "张三" not in shown


def test_a_problem_list_item_is_made_from_a_matter_by_the_secretary(dw, client):
    from django.core.exceptions import PermissionDenied

    from linli.appeals import services_problems as problems

    matter = dw.matter(title="小区路灯")
    plist = problems.create_list(
        actor=dw.actor("secretary"), name="办实事", year=dw.today.year, community=matter.community
    )
    item = services.problem_item_from_matter(matter, actor=dw.actor("secretary"), problem_list=plist, title="")
    assert item.title == "小区路灯" and item.number == 1
    assert ChangeRecord.objects.filter(object_id=matter.pk, note="列入问题清单").exists()
    with pytest.raises(PermissionDenied):
        services.problem_item_from_matter(matter, actor=dw.actor("staff"), problem_list=plist, title="x")
    other = problems.create_list(
        actor=dw.actor("street_admin"), name="东二", year=2026, community=dw.world.communities["e2"]
    )
    with pytest.raises(ValidationError) as exc:
        services.problem_item_from_matter(matter, actor=dw.actor("street_admin"), problem_list=other, title="x")
    assert exc.value.message_dict["problem_list"] == ["请选择本社区的问题清单。"]
    client.force_login(dw.users["secretary"])
    client.post(
        reverse("deliberation:matter_problem", args=[matter.pk]), {"problem_list": plist.pk, "title": "路灯维修"}
    )
    assert plist.items.filter(title="路灯维修").exists()


def test_the_daily_sweep_reminds_due_and_overdue_tasks_once(dw):
    from django.core.management import call_command

    matter = dw.matter()
    due = services.add_task(
        matter, actor=dw.actor("secretary"), title="量尺寸", owner=dw.users["staff"], deadline=dw.days(1)
    )
    later = services.add_task(
        matter, actor=dw.actor("secretary"), title="施工", owner=dw.users["staff"], deadline=dw.days(5)
    )
    Notification.objects.all().delete()
    assert services.remind_tasks(dw.today) == (1, 1)
    assert services.remind_tasks(dw.today) == (0, 0)
    assert services.remind_tasks(dw.days(3)) == (1, 2)  # overdue: the owner and the secretary who set it
    services.complete_task(later, actor=dw.actor("staff"))
    call_command("matters_remind", "--date", dw.days(9).isoformat())
    titles = set(Notification.objects.values_list("title", flat=True))
    assert titles == {f"落实任务快到期了：{due.title}", f"落实任务已超期：{due.title}"}


def test_the_sweep_runs_from_celery_beat_and_the_dashed_command(dw, settings):
    from linli.__main__ import DASHED_COMMANDS
    from linli.deliberation.tasks import matters_remind

    assert matters_remind.delay().get() == "提醒落实任务 0 项，发送消息 0 条"  # eager without Redis
    assert DASHED_COMMANDS["matters-remind"] == "matters_remind"
    assert settings.CELERY_BEAT_SCHEDULE["matters-remind"]["task"] == "linli.deliberation.tasks.matters_remind"
