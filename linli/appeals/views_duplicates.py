"""Duplicates (可能重复的诉求, issue 6 §2): the intake screen's live panel, and merge / unmerge on the detail page.

The similarity search is linli.appeals.duplicates; merging is services.merge_appeal / unmerge_appeal. The
two actions are detail-page actions like the others (AppealActionView): a refusal comes back on the page
with its Chinese message.
"""

from __future__ import annotations

from django.urls import reverse
from django.views.generic import TemplateView

from linli.appeals import services
from linli.appeals.duplicates import find_main, similar_appeals
from linli.appeals.models import Appeal
from linli.appeals.views import AppealActionView
from linli.areas.models import Building, Community
from linli.core.params import parse_id
from linli.core.views import ScopedMixin

#: The panel compares at most this much of what is being typed (the normaliser reads 1,000 characters).
MAX_QUERY = 2000


class IntakeDuplicatesView(ScopedMixin, TemplateView):
    """Live panel of the intake screen: open appeals of the last 14 days near the chosen building (or in the
    community) whose text is like what is being typed. Dispatchers may pick one to merge the new appeal into."""

    model = Appeal
    action = "add"
    template_name = "appeals/intake_duplicates.html"

    def post(self, request, *args, **kwargs):
        # POST (htmx sends the form's CSRF header): a long Chinese text is 9 bytes a character URL-encoded,
        # past what a GET request line may carry behind gunicorn or nginx.
        return self.get(request, *args, **kwargs)

    @property
    def params(self):
        return self.request.POST if self.request.method == "POST" else self.request.GET

    def place(self):
        """(community id, building) from the form's building, else its community, else the user's only one."""
        user, params = self.request.user, self.params
        pk = parse_id(params.get("building"))
        building = Building.objects.restrict(user).filter(pk=pk).first() if pk else None
        if building is not None:
            return building.community_id, building
        pk = parse_id(params.get("community"))
        communities = Community.objects.restrict(user)
        if pk:
            return communities.filter(pk=pk).values_list("pk", flat=True).first(), None
        only = list(communities.values_list("pk", flat=True)[:2])
        return (only[0] if len(only) == 1 else None), None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        text = self.params.get("text", "")[:MAX_QUERY]
        community_id, building = self.place()
        ctx["candidates"] = similar_appeals(user, text=text, community_id=community_id, building=building)
        ctx["can_merge"] = user.is_superuser or user.has_role_perm("appeal.dispatch")
        ctx["selected"] = parse_id(self.params.get("merge_into"))
        return ctx


class AppealMergeView(AppealActionView):
    name = "merge"

    def run(self, appeal, data, actor):
        main = find_main(actor.user, data["main"])
        return services.merge_appeal(appeal, main, actor=actor, note=data["note"])

    def message(self, appeal, result):
        return (
            f"诉求 {result.number} 已并入 {result.merged_into.number}，附议共{services.voices(result.merged_into)}人。"
        )

    def success_url(self, appeal, result):
        return reverse("appeals:appeal_detail", args=[result.merged_into_id]) + "#top"


class AppealUnmergeView(AppealActionView):
    name, success = "unmerge", "已取消合并，诉求恢复待派单。"

    def run(self, appeal, data, actor):
        return services.unmerge_appeal(appeal, actor=actor, reason=data["reason"])
