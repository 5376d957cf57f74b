"""Writing and finalising: a finalised report keeps its figures after new data and a re-rollup and nothing changes
it; numbers run per node and year without repeats; bad input gets a Chinese message and changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from linli.core.audit import actor_of
from linli.core.models import ChangeRecord, DocumentCounter
from linli.core.numbering import last_number
from linli.workreports import services
from linli.workreports.models import WorkReport, WorkReportCase, WorkReportParagraph
from linli.workreports.tests.helpers import appeal, draft, finished, months_ago, roll_months, this_month

pytestmark = pytest.mark.django_db


def received(report) -> int:
    return next(r["value"] for s in report.snapshot["sections"] for r in s["rows"] if r["key"] == "appeals.received")


def test_a_finalised_report_keeps_its_figures_after_new_data_and_a_rollup(world):
    last = months_ago(1)
    found = finished(world.buildings["b1"], last + datetime.timedelta(days=2))
    roll_months(last)
    secretary = actor_of(world.users["secretary"])
    report = draft(world)
    services.save_text(report, actor=secretary, foreword="本月工作平稳。", paragraphs={"appeals": "诉求均已派单。"})
    services.add_case(report, actor=secretary, number=found.number)
    report = services.finalise(report, actor=secretary)
    assert report.status == "final" and received(report) == 1
    frozen = WorkReport.objects.get(pk=report.pk)
    appeal(world.buildings["b1"], last + datetime.timedelta(days=3))
    appeal(world.buildings["b2"], last + datetime.timedelta(days=4))
    roll_months(last)
    again = WorkReport.objects.get(pk=report.pk)
    assert again.snapshot == frozen.snapshot and received(again) == 1
    from linli.workreports.figures import figures_of

    assert figures_of(again) == frozen.snapshot


def test_nothing_changes_a_finalised_report(world):
    last = months_ago(1)
    found = finished(world.buildings["b1"], last + datetime.timedelta(days=2))
    other = finished(world.buildings["b2"], last + datetime.timedelta(days=3))
    secretary = actor_of(world.users["secretary"])
    report = draft(world)
    services.save_text(report, actor=secretary, foreword="定稿前的综述。")
    case = services.add_case(report, actor=secretary, number=found.number)
    report = services.finalise(report, actor=secretary)
    before = WorkReport.objects.filter(pk=report.pk).values().get()
    records = ChangeRecord.objects.count()
    attempts = [
        lambda: services.save_text(report, actor=secretary, foreword="改过的综述"),
        lambda: services.add_case(report, actor=secretary, number=other.number),
        lambda: services.remove_case(case, actor=secretary),
        lambda: services.finalise(report, actor=secretary),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert "已定稿" in "".join(refused.value.messages)
    assert WorkReport.objects.filter(pk=report.pk).values().get() == before
    assert list(WorkReportCase.objects.filter(report=report).values_list("number", flat=True)) == [found.number]
    assert ChangeRecord.objects.count() == records


def test_numbers_run_per_node_and_year_and_never_repeat(world):
    secretary = actor_of(world.users["secretary"])
    first = services.finalise(draft(world, month=months_ago(2)), actor=secretary)
    second = services.finalise(draft(world, month=months_ago(1)), actor=secretary)
    year = first.number_year
    assert (first.seq, second.seq) == (1, 2)
    assert first.number == f"东一报〔{year}〕1号" and second.number == f"东一报〔{year}〕2号"
    street = services.finalise(
        draft(world, "street_admin", level="street", node="east"), actor=actor_of(world.users["street_admin"])
    )
    assert street.number == f"东街报〔{year}〕1号"
    duplicate = draft(world, month=months_ago(3))
    duplicate.seq, duplicate.number_year, duplicate.status = 1, year, "final"
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_numbers_given_before_the_shared_counter_stay_and_the_next_follows_them(world):
    """Reports finalised before linli.core.numbering kept their numbers; the counter starts after them."""
    secretary = actor_of(world.users["secretary"])
    old = services.finalise(draft(world, month=months_ago(2)), actor=secretary)
    year = old.number_year
    WorkReport.objects.filter(pk=old.pk).update(seq=5, number=f"东一报〔{year}〕5号")
    DocumentCounter.objects.all().delete()  # as on a database numbered by the old lock-and-max code
    new = services.finalise(draft(world, month=months_ago(1)), actor=secretary)
    assert new.number == f"东一报〔{year}〕6号"
    assert WorkReport.objects.get(pk=old.pk).number == f"东一报〔{year}〕5号"
    assert last_number(f"workreports:{new.node_key}", year) == 6


def test_one_report_per_node_and_period(world):
    draft(world)
    with pytest.raises(ValidationError) as refused:
        draft(world, persona="staff")
    assert "已经有了" in refused.value.messages[0]
    assert WorkReport.objects.count() == 1


def test_a_future_period_or_a_bad_month_is_refused_in_chinese(world):
    secretary = actor_of(world.users["secretary"])
    e1 = world.communities["e1"].pk
    future = datetime.date(this_month().year + (this_month().month // 12), this_month().month % 12 + 1, 1)
    bad = [
        {"period": "month", "year": future.year, "month": future.month},
        {"period": "month", "year": this_month().year, "month": 13},
        {"period": "year", "year": this_month().year + 1},
        {"period": "week", "year": this_month().year},
    ]
    for fields in bad:
        with pytest.raises(ValidationError) as refused:
            services.create_report(actor=secretary, level="community", node_id=e1, **fields)
        text = "".join(refused.value.messages)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), fields
    assert not WorkReport.objects.exists()


def test_this_month_is_written_but_finalised_only_when_it_has_ended(world):
    secretary = actor_of(world.users["secretary"])
    report = draft(world, month=this_month())
    with pytest.raises(ValidationError) as refused:
        services.finalise(report, actor=secretary)
    assert "还没有结束" in refused.value.messages[0]
    assert WorkReport.objects.get(pk=report.pk).status == "draft" and not WorkReport.objects.get(pk=report.pk).number


def test_a_case_outside_the_reports_node_or_the_users_scope_is_refused(world):
    last = months_ago(1)
    e2_appeal = finished(world.buildings["b3"], last)  # 东二社区
    secretary = actor_of(world.users["secretary"])
    report = draft(world)
    for number in (e2_appeal.number, "GD-NOPE"):
        with pytest.raises(ValidationError) as refused:
            services.add_case(report, actor=secretary, number=number)
        assert "找不到编号" in refused.value.messages[0]
    assert not WorkReportCase.objects.exists()
    # The street's report takes 东二's appeal; the street admin does not write 东一's report.
    street = draft(world, "street_admin", level="street", node="east")
    admin = actor_of(world.users["street_admin"])
    assert services.add_case(street, actor=admin, number=e2_appeal.number).number == e2_appeal.number
    with pytest.raises(Http404):
        services.save_text(report, actor=admin, foreword="街道改社区的报告")


def test_no_phone_or_id_number_goes_into_a_report(world):
    secretary = actor_of(world.users["secretary"])
    found = finished(
        world.buildings["b1"], months_ago(1), text="张三 13812345678 反映楼道灯坏了，身份证420107195003051234"
    )
    report = draft(world)
    for text in ("请联系13812345678", "身份证号 42010719500305123X"):
        with pytest.raises(ValidationError) as refused:
            services.save_text(report, actor=secretary, foreword=text)
        assert "身份证号或手机号" in "".join(refused.value.messages)
    assert WorkReport.objects.get(pk=report.pk).foreword == ""
    case = services.add_case(report, actor=secretary, number=found.number)
    assert "13812345678" not in case.title and "420107195003051234" not in case.title
    assert not WorkReportParagraph.objects.exists()


def test_every_change_leaves_a_change_record_with_its_actor(world):
    from linli.core.audit import history_of

    secretary = world.users["secretary"]
    report = draft(world)
    services.save_text(report, actor=actor_of(secretary), foreword="综述", paragraphs={"appeals": "诉求说明"})
    services.finalise(report, actor=actor_of(secretary))
    records = list(history_of(report).order_by("at", "id"))
    assert [r.action for r in records] == ["create", "update", "update"]
    assert all(r.actor == secretary for r in records)
    assert records[1].changes["段落：诉求"] == [None, "诉求说明"] and records[2].note == "定稿"


def test_staff_write_but_only_secretaries_and_the_street_finalise(world):
    report = draft(world, persona="staff")
    with pytest.raises(Exception) as refused:
        services.finalise(report, actor=actor_of(world.users["staff"]))
    assert refused.type.__name__ == "PermissionDenied"
    for persona in ("grid_worker_1", "dept_handler"):
        with pytest.raises(Exception) as refused:
            draft(world, persona=persona, month=months_ago(2))
        assert refused.type.__name__ == "PermissionDenied"


def test_a_cases_outcome_reads_as_one_sentence_without_doubled_marks(world):
    found = finished(world.buildings["b1"], months_ago(1), resolution="已更换楼道灯。")
    case = services.add_case(draft(world), actor=actor_of(world.users["secretary"]), number=found.number)
    assert case.outcome == "已解决；已更换楼道灯；居民评价：满意"


def test_an_appeal_without_a_result_is_refused_as_a_notable_case(world):
    from linli.appeals.models import Appeal

    pending = appeal(world.buildings["b1"], months_ago(1))
    secretary = actor_of(world.users["secretary"])
    report = draft(world)
    for status, label in (("pending_dispatch", "待派单"), ("withdrawn", "已撤销")):
        Appeal.objects.filter(pk=pending.pk).update(status=status)
        records = ChangeRecord.objects.count()
        with pytest.raises(ValidationError) as refused:
            services.add_case(report, actor=secretary, number=pending.number)
        assert f"现在是“{label}”" in refused.value.messages[0] and "办结后" in refused.value.messages[0]
        assert not WorkReportCase.objects.exists() and ChangeRecord.objects.count() == records
    Appeal.objects.filter(pk=pending.pk).update(
        status="closed", outcome="solved", resolution="已修好。", replied_at=timezone.now()
    )
    assert services.add_case(report, actor=secretary, number=pending.number).outcome.startswith("已解决")


def test_the_candidates_are_the_nodes_appeals_finished_in_the_period_satisfied_first(world):
    last = months_ago(1)
    plain = finished(world.buildings["b1"], last + datetime.timedelta(days=5), rating="basically")
    liked = finished(world.buildings["b2"], last + datetime.timedelta(days=1))
    picked = finished(world.buildings["b1"], last + datetime.timedelta(days=2))
    finished(world.buildings["b3"], last + datetime.timedelta(days=3))  # 东二社区
    finished(world.buildings["b1"], months_ago(2))  # finished the month before
    appeal(world.buildings["b1"], last + datetime.timedelta(days=4))  # still waiting
    secretary = world.users["secretary"]
    report = draft(world)
    services.add_case(report, actor=actor_of(secretary), number=picked.number)
    candidates = services.case_candidates(report, secretary)
    assert [a.number for a in candidates] == [liked.number, plain.number]
    assert candidates[0].case_title == "诉求：楼道灯坏了"
    # the grid worker of grid 2 only reads grid 2's appeals (b2)
    assert [a.number for a in services.case_candidates(report, world.users["grid_worker_2"])] == [liked.number]


def test_a_staff_draft_finalised_by_the_secretary_has_the_sections_the_secretary_may_read(world):
    from linli.workreports.figures import figures_of

    staff, secretary = world.users["staff"], world.users["secretary"]
    report = draft(world, persona="staff")
    staff_sections = set(services.section_names(report, staff))
    secretary_sections = set(services.section_names(report, secretary))
    extra = secretary_sections - staff_sections
    assert "party" in extra, (staff_sections, secretary_sections)
    # each writes the sections they may read; the staff's save keeps the secretary's 党建 paragraph
    services.save_text(report, actor=actor_of(secretary), paragraphs={"party": "三会一课按时召开。"})
    services.save_text(report, actor=actor_of(staff), foreword="本月综述", paragraphs={"appeals": "诉求办理及时。"})
    assert dict(report.paragraphs.values_list("section", "text")) == {
        "party": "三会一课按时召开。",
        "appeals": "诉求办理及时。",
    }
    with pytest.raises(ValidationError):
        services.save_text(report, actor=actor_of(staff), paragraphs={"party": "staff may not write here"})
    # the draft shows each reader their own sections; the finalised report is the secretary's
    assert {s["name"] for s in figures_of(report, user=staff)["sections"]} == staff_sections
    assert {s["name"] for s in figures_of(report, user=secretary)["sections"]} == secretary_sections
    report = services.finalise(report, actor=actor_of(secretary))
    assert {s["name"] for s in report.snapshot["sections"]} == secretary_sections
    assert figures_of(report, user=staff) == report.snapshot
