"""Which export records: the 导出记录 page's filter (over ExportRecord.objects.restrict(user, "log"))."""

from __future__ import annotations

import django_filters

from linli.core.widgets import FastSelect
from linli.ledgers.choices import ExportKind
from linli.ledgers.models import ExportRecord


class ExportRecordFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="导出内容", choices=ExportKind.choices, empty_label="全部", widget=FastSelect
    )

    class Meta:
        model = ExportRecord
        fields: list[str] = []
