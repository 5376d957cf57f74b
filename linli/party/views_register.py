"""扫码报到 (在职党员双报到): the public form an in-service member fills on their phone after scanning the QR code
the community prints, and the printable poster with that code.

The form needs no login and is a door to the roster, so it tells nothing: a phone already registered gets the same
answer as a new one (and adds nothing), a bot filling the hidden field too; it is rate-limited per client address
and per phone (linli.tracking.limits, in the cache)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from linli.areas.models import Community
from linli.areas.scope import communities_for
from linli.core.forms import attach_errors
from linli.core.net import client_ip
from linli.party import services_members
from linli.party.forms_members import RegisterForm
from linli.party.views import PartyMixin
from linli.tracking import limits

HOUR, DAY = 3600, 86400
#: (count, seconds) per window: a family registering from one phone is fine, a script is not.
RATES = {"client": ((10, HOUR), (30, DAY)), "phone": ((3, DAY),)}
TOO_MANY = "提交太频繁了，请稍后再试，或直接联系社区党委。"


def rates(name: str) -> tuple:
    override = (getattr(settings, "LINLI_PARTY_REGISTER_RATES", None) or {}).get(name)
    return tuple((int(c), int(s)) for c, s in override) if override else RATES[name]


def qr_svg(url: str) -> str:
    """An inline SVG QR code (segno, as linli.tracking makes its posters')."""
    import segno

    return segno.make(url, error="m").svg_inline(
        border=4, omitsize=True, svgclass="party-qr-code", title="扫码报到", dark="#000", light="#fff"
    )


@method_decorator(never_cache, name="dispatch")
class RegisterView(View):
    """/party/register/<community code>/: the phone-first form; a large-type thank-you page after it."""

    template_name = "party/register_form.html"
    done_template = "party/register_done.html"

    def community(self, code):
        return get_object_or_404(Community.objects.select_related("street"), code=code)

    def get(self, request, code):
        community = self.community(code)
        return render(request, self.template_name, {"form": RegisterForm(community=community), "community": community})

    def post(self, request, code):
        community = self.community(code)
        form = RegisterForm(request.POST, community=community)
        ip = client_ip(request) or "-"
        if limits.blocked("party-reg-ip", ip, rates("client")):
            form.is_valid()
            form.add_error(None, TOO_MANY)
            return render(request, self.template_name, {"form": form, "community": community}, status=429)
        limits.hit("party-reg-ip", ip, rates("client"))
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "community": community}, status=400)
        data = form.cleaned_data
        if data.get("website"):  # the honeypot: people never see it
            return render(request, self.done_template, {"community": community})
        if limits.blocked("party-reg-phone", data["phone"], rates("phone")):
            form.add_error(None, TOO_MANY)
            return render(request, self.template_name, {"form": form, "community": community}, status=429)
        limits.hit("party-reg-phone", data["phone"], rates("phone"))
        try:
            services_members.register_self(
                community,
                name=data["name"],
                phone=data["phone"],
                work_unit=data.get("work_unit"),
                work_unit_name=data.get("work_unit_name", ""),
                address=data.get("address", ""),
                skills=data.get("skills", ""),
                availability=data.get("availability", ""),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
            return render(request, self.template_name, {"form": form, "community": community}, status=400)
        return render(request, self.done_template, {"community": community})


class RegisterPosterView(PartyMixin, TemplateView):
    """The A4 poster with the QR code of a community's 扫码报到 form (for the community's party work)."""

    permission = "party.manage"
    template_name = "party/register_poster.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        community = get_object_or_404(communities_for(self.request.user, "party.manage"), pk=self.kwargs["pk"])
        from django.urls import reverse

        url = self.request.build_absolute_uri(reverse("party:register", args=[community.code]))
        ctx.update(community=community, url=url, qr=mark_safe(qr_svg(url)), printed_on=timezone.localdate())
        return ctx
