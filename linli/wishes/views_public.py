"""A community's micro-wishes for anyone (no login): the public part only, anonymised once more on the way out.

The page carries nothing of the visitor (no session data, no CSRF token), so it may be cached publicly.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import cache_control

from linli.areas.models import Community
from linli.residents.names import CommunityNames
from linli.wishes.models import Wish
from linli.wishes.services import public_text


@method_decorator(cache_control(public=True, max_age=300), name="dispatch")
class WishPublicView(View):
    def get(self, request, code):
        community = get_object_or_404(Community, code=code)
        # Public page: no user to restrict by; only the open wishes of this community, public fields only
        # (the private ones are read solely to hand their names to the anonymiser).
        wishes = list(Wish.objects.public_board(community))
        registry = CommunityNames()[community.pk]  # every registry name of the community, read once
        rows = [
            {
                "title": public_text(w.title, names := registry | w.private_names()),
                "description": public_text(w.description, names),
                "category": w.get_category_display(),
                "target_date": w.target_date,
            }
            for w in wishes
        ]
        ctx = {"community": community, "rows": rows, **Wish.objects.board_counts(community)}
        return render(request, "wishes/wish_public.html", ctx)
