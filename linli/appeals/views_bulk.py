"""批量派单: several appeals of the 待派单 tab to one unit, after a confirmation naming the count."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.views import View

from linli.appeals import services
from linli.appeals.choices import Status
from linli.appeals.models import Appeal, HandlingUnit
from linli.core.audit import actor_of
from linli.core.params import parse_id
from linli.core.selection import BulkActionView, all_in_scope
from linli.core.views import ScopedMixin

MAX_NOTE = 500


def bulk_units():
    return HandlingUnit.objects.filter(is_active=True)


class AppealBulkDispatchView(ScopedMixin, BulkActionView, View):
    """The ticked appeals of the dispatch queue go to one unit, all in one transaction (services.dispatch_many)."""

    model = Appeal
    action = "dispatch"
    list_url_name = "appeals:appeal_list"
    title = "批量派单"
    confirm_label = "确认派单"
    carried = ("unit", "note")

    def clean(self, data):
        unit_id = parse_id(data.get("unit"))
        unit = bulk_units().filter(pk=unit_id).first() if unit_id else None
        if unit is None:
            raise ValidationError("请选择承办单位。")
        note = (data.get("note") or "").strip()
        if len(note) > MAX_NOTE:
            raise ValidationError(f"派单说明不超过{MAX_NOTE}字。")
        return {"unit": unit, "note": note}

    def rows(self, ids):
        return all_in_scope(self.scoped().select_related("category", "community"), ids, "件诉求")

    def describe(self, a):
        return f"{a.number} {a.summary}（{a.category.name if a.category else '未分类'}，{a.get_status_display()}）"

    def question(self, rows, params):
        return f"确认将 {len(rows)} 件诉求派给“{params['unit'].name}”？"

    def detail(self, rows, params):
        problems = []
        uncategorised = [a.number for a in rows if a.category_id is None]
        if uncategorised:
            problems.append(f"{len(uncategorised)}件还没有问题类别（{'、'.join(uncategorised[:5])}），请先分类")
        done = [a.number for a in rows if a.status != Status.PENDING_DISPATCH]
        if done:
            problems.append(f"{len(done)}件已不在待派单状态（{'、'.join(done[:5])}）")
        lines = ["各件按自己的类别和紧急程度计算签收和办结时限；有一件不能派出时，整批都不派出。"]
        if problems:
            lines.append("注意：" + "；".join(problems) + "。")
        return "".join(lines)

    def perform(self, rows, params):
        done = services.dispatch_many(rows, params["unit"], actor=actor_of(self.request.user), note=params["note"])
        return f"已将 {len(done)} 件诉求派给“{params['unit'].name}”，等待签收。"
