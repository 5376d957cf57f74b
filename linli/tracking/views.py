"""Public pages for residents (no login): /s/<community code>/ to submit, /s/track/ to follow an appeal.

Session keys (the resident is not a user; Django's session still works, 30 minutes, ends with the browser):
  trk_draft   step 1's answers until the phone is verified (photos wait in the cache under draft["photos"])
  trk_pending the phone a code was texted to, waiting for the code
  trk_phone   a verified phone and until when it counts (PHONE_SECONDS from verification, not sliding)
  trk_grants  appeal ids opened with a tracking code, each until when
  trk_done    the just-submitted appeal and its code, for the done page (the only place the code shows)

Every page is never_cache. Posts carry Django's CSRF token (the htmx hint too, via hx-headers).
"""

from __future__ import annotations

import secrets
import time

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views import View
from django.views.decorators.cache import never_cache

from linli.appeals.models import Appeal
from linli.appeals.services import rate_reply
from linli.areas.models import Building, Community
from linli.attachments.services import PreparedPhotos
from linli.core.forms import attach_errors
from linli.core.net import client_ip
from linli.core.phone import PhoneError, mask_phone, normalize_phone
from linli.tracking import codes, limits, otp, services
from linli.tracking.forms import AppealStartForm, CodeForm, PhoneForm, RateForm, TrackCodeForm

PHONE_SECONDS = 30 * 60
GRANT_SECONDS = 30 * 60
DRAFT_SECONDS = 30 * 60
#: Default thresholds of the page's limits (linli.tracking.limits.DEFAULTS; the settings may change them).
LOOKUP_WRONG_PER_IP = limits.DEFAULTS["lookup_wrong_client"]
HINT_PER_IP = limits.DEFAULTS["hint_client"]

DRAFT, PENDING, PHONE, GRANTS, DONE = "trk_draft", "trk_pending", "trk_phone", "trk_grants", "trk_done"
PHOTO_CACHE = "linli:trk:photos:"


def _logged_in_resident(request):
    user = request.user
    if user.is_authenticated and user.role == "resident" and user.resident_id:
        return user.resident
    return None


def _mobile(phone: str) -> str:
    try:
        phone = normalize_phone(phone)
    except PhoneError:
        return ""
    return phone if phone and "-" not in phone else ""


def verified_phone(request) -> str:
    """The phone this visitor proved within PHONE_SECONDS (or a logged-in resident's own mobile), else ""."""
    data = request.session.get(PHONE)
    if data and data.get("until", 0) > time.time():
        return data["phone"]
    if data:
        request.session.pop(PHONE, None)
    resident = _logged_in_resident(request)
    return _mobile(resident.phone) if resident else ""


def _verify_phone(request, phone: str) -> None:
    request.session.cycle_key()  # a verified session gets a fresh id (no fixation through a planted cookie)
    request.session[PHONE] = {"phone": phone, "until": time.time() + PHONE_SECONDS}
    request.session.pop(PENDING, None)


def _grant(request, appeal: Appeal) -> None:
    grants = {k: v for k, v in request.session.get(GRANTS, {}).items() if v > time.time()}
    grants[str(appeal.pk)] = time.time() + GRANT_SECONDS
    request.session[GRANTS] = grants


def _may_see(request, appeal: Appeal) -> bool:
    if request.session.get(GRANTS, {}).get(str(appeal.pk), 0) > time.time():
        return True
    phone = verified_phone(request)
    return bool(phone) and services.phone_may_see(phone, appeal)


def _community(code: str) -> Community:
    return get_object_or_404(Community.objects.select_related("street"), code=code)


@method_decorator(never_cache, name="dispatch")
class TrackingSubmitView(View):
    """Step 1: what happened, where, a photo. The routing model's hint shows while typing (htmx)."""

    template_name = "tracking/submit.html"

    def _initial(self, request, community):
        draft = request.session.get(DRAFT)
        if draft and draft.get("community") == community.pk:
            return {k: draft.get(k) for k in ("text", "building", "room", "address", "name", "no_sms")}
        resident = _logged_in_resident(request)
        if resident is None:
            return {}
        initial = {"name": resident.name}
        if resident.building.community_id == community.pk:
            household = resident.household
            initial.update(building=resident.building_id, room=f"{household.entrance}单元{household.room}")
        return initial

    def render_form(self, request, community, form, status=200):
        text = form.data.get("text", "") if form.is_bound else form.initial.get("text", "")
        ctx = {"community": community, "form": form, "hint_unit": services.hint_unit(text, community), "step": 1}
        return render(request, self.template_name, ctx, status=status)

    def get(self, request, code):
        community = _community(code)
        form = AppealStartForm(community=community, initial=self._initial(request, community))
        return self.render_form(request, community, form)

    def post(self, request, code):
        community = _community(code)
        form = AppealStartForm(request.POST, request.FILES, community=community)
        if not form.is_valid():
            return self.render_form(request, community, form, status=400)
        data = form.cleaned_data
        old = request.session.get(DRAFT) or {}
        if old.get("photos"):
            cache.delete(PHOTO_CACHE + old["photos"])
        photos_key = None
        if form.prepared_photos:
            photos_key = secrets.token_urlsafe(16)
            cache.set(PHOTO_CACHE + photos_key, form.prepared_photos, DRAFT_SECONDS)
        request.session[DRAFT] = {
            "community": community.pk,
            "text": data["text"],
            "building": data["building"].pk if data["building"] else None,
            "room": data["room"],
            "address": data["address"],
            "name": data["name"],
            "no_sms": bool(data.get("no_sms")),
            "photos": photos_key,
            "photo_count": len(form.prepared_photos or ()),
            "until": time.time() + DRAFT_SECONDS,
        }
        return redirect("tracking:verify", code=community.code)


@method_decorator(never_cache, name="dispatch")
class TrackingHintView(View):
    """htmx: "这类问题一般由 X 处理" for the text typed so far (POST: the text stays out of access logs)."""

    def post(self, request, code):
        community = _community(code)
        ip = client_ip(request) or "-"
        per_client, everyone = limits.rules("hint_client"), limits.rules("hint_global")
        if limits.blocked("hint-ip", ip, per_client) or limits.blocked("hint-all", limits.EVERYONE, everyone):
            return render(request, "tracking/_hint.html", {"hint_unit": ""})  # the hint is a help, never required
        limits.hit("hint-ip", ip, per_client)
        limits.hit("hint-all", limits.EVERYONE, everyone)
        unit = services.hint_unit(request.POST.get("text", ""), community)
        return render(request, "tracking/_hint.html", {"hint_unit": unit})


class PhoneStepMixin:
    """Phone → one-time code, shared by the submit flow and the phone lookup."""

    def phone_context(self, request, *, phone_form=None, code_form=None):
        pending = request.session.get(PENDING)
        if phone_form is not None and phone_form.errors:
            pending = None  # the phone (or its limit) is what needs fixing: show that form, not the code form
        return {
            "pending_masked": mask_phone(pending) if pending else "",
            "phone_form": phone_form or PhoneForm(),
            "code_form": code_form or CodeForm(),
        }

    def send(self, request):
        """action=send: returns (done, phone_form)."""
        form = PhoneForm(request.POST)
        if not form.is_valid():
            return False, form
        phone = form.cleaned_data["phone"]
        try:
            otp.send_code(phone, ip=client_ip(request))
        except otp.OtpError as exc:
            form.add_error("phone", str(exc))
            return False, form
        request.session[PENDING] = phone
        messages.success(request, f"验证码已经用短信发到 {mask_phone(phone)}，请查看手机短信。")
        return True, form

    def verify(self, request):
        """action=verify: returns (phone or "", code_form)."""
        form = CodeForm(request.POST)
        pending = request.session.get(PENDING)
        if not pending:
            form.is_valid()
            form.add_error(None, "请先获取验证码。")
            return "", form
        if not form.is_valid():
            return "", form
        try:
            otp.check_code(pending, form.cleaned_data["code"], ip=client_ip(request))
        except otp.OtpError as exc:
            form.add_error("code", str(exc))
            return "", form
        _verify_phone(request, pending)
        return pending, form


@method_decorator(never_cache, name="dispatch")
class TrackingVerifyView(PhoneStepMixin, View):
    """Step 2: the phone, proved with a texted code (skipped when this visit already proved it)."""

    template_name = "tracking/verify.html"

    def _draft(self, request, community):
        draft = request.session.get(DRAFT)
        if not draft or draft.get("community") != community.pk or draft.get("until", 0) < time.time():
            return None
        return draft

    def render_step(self, request, community, draft, status=200, **forms):
        ctx = {
            "community": community,
            "draft": draft,
            "known_phone": mask_phone(verified_phone(request)),
            "hint_unit": services.hint_unit(draft["text"], community),
            "step": 2,
            **self.phone_context(request, **forms),
        }
        return render(request, self.template_name, ctx, status=status)

    def get(self, request, code):
        community = _community(code)
        draft = self._draft(request, community)
        if draft is None:
            return redirect("tracking:submit", code=community.code)
        return self.render_step(request, community, draft)

    def post(self, request, code):
        community = _community(code)
        draft = self._draft(request, community)
        if draft is None:
            if request.session.get(DONE, {}).get("community") == community.pk:
                return redirect("tracking:done", code=community.code)  # a double tap on 提交
            messages.error(request, "页面停留太久，内容没有保存下来，请重新填写。")
            return redirect("tracking:submit", code=community.code)
        action = request.POST.get("action")
        if action == "send":
            sent, form = self.send(request)
            if not sent:
                return self.render_step(request, community, draft, status=400, phone_form=form)
            return redirect("tracking:verify", code=community.code)
        if action == "change":
            request.session.pop(PENDING, None)
            request.session.pop(PHONE, None)
            return redirect("tracking:verify", code=community.code)
        if action == "verify":
            phone, form = self.verify(request)
            if not phone:
                return self.render_step(request, community, draft, status=400, code_form=form)
        elif action == "submit":
            phone = verified_phone(request)
            if not phone:
                return redirect("tracking:verify", code=community.code)
        else:
            return redirect("tracking:verify", code=community.code)
        return self.submit(request, community, draft, phone)

    def submit(self, request, community, draft, phone):
        photos = None
        if draft.get("photos"):
            photos = cache.get(PHOTO_CACHE + draft["photos"])
            if not isinstance(photos, PreparedPhotos):
                messages.error(request, "照片没有保存下来，请重新选择照片再提交。")
                request.session[DRAFT] = {**draft, "photos": None, "photo_count": 0}
                return redirect("tracking:submit", code=community.code)
        resident = _logged_in_resident(request)
        if resident is not None and (
            resident.building.community_id != community.pk or _mobile(resident.phone) != phone
        ):
            resident = None  # someone else's phone or another community: a plain name + phone appeal
        building = Building.objects.filter(community=community, pk=draft.get("building")).first()
        try:
            done = services.submit_appeal(
                community=community,
                text=draft["text"],
                phone=phone,
                name=draft.get("name", ""),
                building=building,
                room=draft.get("room", ""),
                address=draft.get("address", ""),
                photos=photos or (),
                resident=resident,
                sms=not draft.get("no_sms"),
            )
        except ValidationError as exc:
            fields = ("text", "building", "room", "address", "name")
            form = AppealStartForm({k: draft.get(k) or "" for k in fields}, community=community)
            form.is_valid()
            attach_errors(form, exc)
            return TrackingSubmitView().render_form(request, community, form, status=400)
        if draft.get("photos"):
            cache.delete(PHOTO_CACHE + draft["photos"])
        request.session.pop(DRAFT, None)
        _grant(request, done.appeal)
        request.session[DONE] = {
            "community": community.pk,
            "appeal": done.appeal.pk,
            "code": done.code,
            "number": done.appeal.number,
        }
        return redirect("tracking:done", code=community.code)


@method_decorator(never_cache, name="dispatch")
class TrackingDoneView(View):
    """Step 3: the tracking code, large, once."""

    def get(self, request, code):
        community = _community(code)
        done = request.session.get(DONE)
        if not done or done.get("community") != community.pk:
            return redirect("tracking:submit", code=community.code)
        ctx = {
            "community": community,
            "code": codes.display(done["code"]),
            "number": done["number"],
            "hint_unit": "",
            "step": 3,
        }
        appeal = Appeal.objects.filter(pk=done["appeal"]).first()
        if appeal is not None:
            ctx["hint_unit"] = services.hint_unit(appeal.text, appeal.community_id)
        return render(request, "tracking/done.html", ctx)


@method_decorator(never_cache, name="dispatch")
class TrackingLookupView(View):
    """/s/track/: a tracking code opens its appeal; or go on to verify a phone and see all of its appeals."""

    def get(self, request):
        return render(
            request, "tracking/lookup.html", {"form": TrackCodeForm(), "has_phone": bool(verified_phone(request))}
        )

    def post(self, request):
        form = TrackCodeForm(request.POST)
        ip = client_ip(request) or "-"
        per_client = limits.rules("lookup_wrong_client")
        if limits.blocked("lookup-all", limits.EVERYONE, limits.rules("lookup_wrong_global")):
            # Many wrong codes from everywhere: a spread-out guess. Each client gets fewer tries; nobody is locked
            # out for what others did (a resident with the right code still gets in).
            per_client = limits.rules("lookup_wrong_client_strict")
        if limits.blocked("lookup-ip", ip, per_client):
            form.is_valid()
            form.add_error(None, "输错的次数太多了，请过10分钟再试，或打电话给社区。")
            return render(request, "tracking/lookup.html", {"form": form}, status=429)
        appeal = services.appeal_for_code(form.data.get("code", "")) if form.is_valid() else None
        if appeal is None:
            # counted in the windows of both rule sets, so the strict one can take over at once
            both = limits.rules("lookup_wrong_client") + limits.rules("lookup_wrong_client_strict")
            limits.hit("lookup-ip", ip, both)
            limits.hit("lookup-all", limits.EVERYONE, limits.rules("lookup_wrong_global"))
            if form.is_valid():
                form.add_error("code", "查询码不对，请核对后再输入。")
            return render(request, "tracking/lookup.html", {"form": form}, status=400)
        _grant(request, appeal)
        return redirect("tracking:status", number=appeal.number)


@method_decorator(never_cache, name="dispatch")
class TrackingPhoneView(PhoneStepMixin, View):
    """/s/track/phone/: prove the phone, then see its appeals."""

    template_name = "tracking/phone.html"

    def render_step(self, request, status=200, **forms):
        return render(request, self.template_name, self.phone_context(request, **forms), status=status)

    def get(self, request):
        if verified_phone(request):
            return redirect("tracking:list")
        return self.render_step(request)

    def post(self, request):
        action = request.POST.get("action")
        if action == "send":
            sent, form = self.send(request)
            return redirect("tracking:phone") if sent else self.render_step(request, status=400, phone_form=form)
        if action == "change":
            request.session.pop(PENDING, None)
            return redirect("tracking:phone")
        phone, form = self.verify(request)
        if not phone:
            return self.render_step(request, status=400, code_form=form)
        return redirect("tracking:list")


@method_decorator(never_cache, name="dispatch")
class TrackingListView(View):
    """A verified phone's appeals, newest first."""

    def get(self, request):
        phone = verified_phone(request)
        if not phone:
            return redirect("tracking:phone")
        appeals = list(services.appeals_for_phone(phone))
        rows = [{"appeal": a, "status": services.status_words(a), "can_rate": services.can_rate(a)} for a in appeals]
        return render(request, "tracking/list.html", {"rows": rows, "phone": mask_phone(phone)})

    def post(self, request):
        """退出: forget the verified phone and the opened codes on this device."""
        for key in (PHONE, PENDING, GRANTS, DONE):
            request.session.pop(key, None)
        messages.success(request, "已退出。别人用这台手机也看不到您的诉求了。")
        return redirect("tracking:lookup")


class StatusAccessMixin:
    def appeal_or_none(self, request, number):
        appeal = (
            Appeal.objects.filter(number=number)
            .select_related("assigned_org", "building", "household", "merged_into")
            .first()
        )
        if appeal is None or not _may_see(request, appeal):
            return None
        return appeal

    def refuse(self, request):
        # The same answer for an appeal that does not exist and one this visitor may not see.
        messages.error(request, "请先输入查询码，或验证手机号。")
        return redirect("tracking:lookup")


@method_decorator(never_cache, name="dispatch")
class TrackingStatusView(StatusAccessMixin, View):
    """One appeal as its reporter sees it: their text, the status in plain words, the public timeline, the reply."""

    def get(self, request, number, rate_form=None, status=200):
        appeal = self.appeal_or_none(request, number)
        if appeal is None:
            return self.refuse(request)
        ctx = {
            "appeal": appeal,
            "status_words": services.status_words(appeal),
            "steps": services.public_timeline(appeal),
            "reply_text": services.reply_for_reporter(appeal),
            "photo_count": services.photo_count(appeal),
            "result_photos": list(services.reporter_photos(appeal)),
            "resolution": services.resolution_for_reporter(appeal),
            "can_rate": services.can_rate(appeal),
            "rate_form": rate_form or RateForm(),
            "has_phone": bool(verified_phone(request)),
        }
        return render(request, "tracking/status.html", ctx, status=status)


class TrackingPhotoView(StatusAccessMixin, View):
    """A 办结照片 the handler made public, for the visitor who may see the appeal (code or verified phone); every
    other photo, and any photo of an appeal the visitor may not see, is a 404."""

    thumbnail = False

    def get(self, request, number, pk):
        from django.http import Http404

        from linli.attachments.responses import photo_response

        appeal = self.appeal_or_none(request, number)
        photo = services.reporter_photos(appeal).filter(pk=pk).first() if appeal is not None else None
        if photo is None:
            raise Http404("找不到这张照片。")
        return photo_response(photo, thumbnail=self.thumbnail)


@method_decorator(never_cache, name="dispatch")
class TrackingRateView(StatusAccessMixin, View):
    def post(self, request, number):
        appeal = self.appeal_or_none(request, number)
        if appeal is None:
            return self.refuse(request)
        form = RateForm(request.POST)
        if form.is_valid():
            try:
                rate_reply(
                    appeal,
                    actor=services.resident_actor(
                        verified_phone(request) or appeal.reporter_phone, appeal.reporter_name
                    ),
                    rating=form.cleaned_data["rating"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                if form.cleaned_data["rating"] == "unsatisfied":
                    messages.success(request, "谢谢您的评价。社区书记会看到您的意见，决定是否重新办理。")
                else:
                    messages.success(request, "谢谢您的评价！")
                return redirect("tracking:status", number=appeal.number)
        return TrackingStatusView().get(request, number, rate_form=form, status=400)


def qr_svg(url: str) -> str:
    """An inline SVG QR code for `url` (segno: pure Python, no image files). A viewBox without width/height, so the
    CSS size scales the whole code (a fixed 8 px module was cut off on phones once the address needed a larger
    version), and the standard quiet zone of 4 modules."""
    import segno

    return segno.make(url, error="m").svg_inline(
        border=4, omitsize=True, svgclass="trk-qr-code", title="扫码反映问题", dark="#000", light="#fff"
    )


@method_decorator(never_cache, name="dispatch")
class TrackingPosterView(View):
    """A page to print for the notice board: a QR code and the address of the community's submit page."""

    def get(self, request, code):
        community = _community(code)
        url = request.build_absolute_uri(reverse("tracking:submit", args=[community.code]))
        track = request.build_absolute_uri(reverse("tracking:lookup"))
        ctx = {"community": community, "url": url, "track_url": track, "qr": mark_safe(qr_svg(url))}
        return render(request, "tracking/poster.html", ctx)
