"""Which export records: the 导出记录 page's filter (over ExportRecord.objects.restrict(user, "log")), by the
export kinds the apps registered (linli.core.excel.exports)."""

from __future__ import annotations

import django_filters

from linli.core.excel.exports import export_kind_choices
from linli.core.models import ExportRecord
from linli.core.widgets import FastSelect


class ExportRecordFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="导出内容", choices=export_kind_choices, empty_label="全部", widget=FastSelect
    )

    class Meta:
        model = ExportRecord
        fields: list[str] = []
