"""The one way pages find the 四点半学校's rows: restrict() of the school, 403 for users with no right to the
roster pages at all, 404 for a row outside the schools they may read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from linli.afterschool import services


def require_use(user) -> None:
    if not services.may_use(user):
        raise PermissionDenied("四点半学校的孩子信息只有学校工作人员和社区书记可以查看。")


def scoped(request, model, pk, action="view", related=()):
    require_use(request.user)
    return get_object_or_404(model.objects.restrict(request.user, action).select_related(*related), pk=pk)
