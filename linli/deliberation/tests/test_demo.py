import pytest

from linli.deliberation.choices import MatterStatus
from linli.deliberation.demo import LIFT_TITLE, build_demo_matters, forget_orphan_records
from linli.deliberation.models import FollowUpTask, Matter, Publication

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_lift_matter_a_published_one_tasks_and_a_proposal(dw):
    users = {"shequ": "staff", "shuji": "secretary", "wangge1": "grid_worker_1", "jumin": "resident"}
    build_demo_matters(
        dw.world.communities["e1"], users={k: dw.users[v] for k, v in users.items()}, today=dw.today, log=lambda s: None
    )
    assert Matter.objects.get(title=LIFT_TITLE).status == MatterStatus.HEARING
    assert Matter.objects.filter(status=MatterStatus.DONE).count() == 1
    assert Matter.objects.filter(status=MatterStatus.PROPOSED, raised_by_user=dw.users["resident"]).exists()
    assert Publication.objects.public_board(dw.world.communities["e1"], dw.today).count() == 1
    assert [t.is_overdue(dw.today) for t in FollowUpTask.objects.open().order_by("deadline")] == [True, False]


def test_the_reset_forgets_the_change_records_of_deleted_matters(dw):
    from linli.core.models import ChangeRecord

    matter = dw.matter()
    Matter.objects.filter(pk=matter.pk).delete()
    forget_orphan_records()
    assert not ChangeRecord.objects.filter(content_type__model="matter").exists()
