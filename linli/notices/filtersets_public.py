"""The filter of a community's public notice board (类别). Its rows always start from Notice.objects.public(community):
sent, public, not withdrawn."""

import django_filters

from linli.notices.choices import NoticeCategory
from linli.notices.models import Notice


class PublicNoticeFilterSet(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(label="类别", choices=NoticeCategory.choices, empty_label="全部类别")

    class Meta:
        model = Notice
        fields = ["category"]
