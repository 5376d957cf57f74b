"""The demo's 工作报告 of 青和居社区: last month's, finalised by the secretary (shuji) with a foreword and two
notable appeals, and this month's draft written by the staff (shequ). Runs after the dashboards' rollup (it reads
it); every row through linli.workreports.services."""

from __future__ import annotations

import datetime

from linli.appeals.choices import Status
from linli.appeals.models import Appeal
from linli.core.audit import Actor
from linli.core.models import Source
from linli.workreports import services
from linli.workreports.choices import ReportLevel, ReportPeriod

ACTOR_LABEL = "演示数据"  # linli.site.demo.ACTOR_LABEL: a reset removes the change records of this label

FOREWORD = (
    "本月社区围绕“事事有着落、件件有回音”，坚持网格员天天敲门、重点人群按期走访，"
    "居民诉求做到当日受理、及时派单、按期回访。各项工作情况如下。"
)
CLOSING = "下月将继续做好独居老人走访，督促超期诉求按时办结，组织志愿者开展冬季送温暖活动。"


def build_reports(demo) -> None:
    community = demo.community
    secretary = Actor(user=demo.users["shuji"], source=Source.CLI, label=ACTOR_LABEL)
    staff = Actor(user=demo.users["shequ"], source=Source.CLI, label=ACTOR_LABEL)
    today = demo.today
    last = today.replace(day=1) - datetime.timedelta(days=1)

    def monthly(actor, month):
        return services.create_report(
            actor=actor,
            level=ReportLevel.COMMUNITY,
            node_id=community.pk,
            period=ReportPeriod.MONTH,
            year=month.year,
            month=month.month,
            today=today,
        )

    report = monthly(secretary, last)
    services.save_text(
        report,
        actor=secretary,
        foreword=FOREWORD,
        closing=CLOSING,
        paragraphs={"appeals": "本月诉求以物业维修和环境卫生为主，均已派单到承办单位。"},
    )
    closed = Appeal.objects.filter(
        community=community,
        status=Status.CLOSED,
        received_at__date__gte=last.replace(day=1),
        received_at__date__lte=last,
    ).order_by("received_at", "pk")
    for appeal in closed[:2]:
        services.add_case(report, actor=secretary, number=appeal.number)
    report = services.finalise(report, actor=secretary, today=today)
    draft = monthly(staff, today)
    services.save_text(draft, actor=staff, foreword="（本月报告撰写中）")
    demo.log(f"       工作报告：{report.number}（{report.period_label}，定稿）、{draft.period_label}草稿")
