"""Public notice pages, no login: a community's notice board (/notices/public/<community code>/) and one notice at
its short address (/n/<code>/, the link of posters' QR codes, SMS and group messages), with its photos and its
audio.

These are the only notice pages not started from Notice.objects.restrict(): what they show is decided here and in
linli.notices.public, and is only ever a sent, public notice's anonymised title and text, its category, date and
community, and the photos attached to it. Never a household, a count per household, or who was told. A draft's
code is a 404 (it is not out yet); a withdrawn notice says so, with its reason and without its text."""

from __future__ import annotations

import re

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import cache_control

from linli.areas.models import Community
from linli.core.filtersets import error_list
from linli.core.storage import file_response, read_range
from linli.core.views import paginate
from linli.notices import audio
from linli.notices.choices import NoticeCategory, NoticeStatus
from linli.notices.filtersets_public import PublicNoticeFilterSet
from linli.notices.models import Notice
from linli.notices.public import is_shown, public_notice

BOARD_PAGE_SIZE = 20
PRIVACY = "为保护隐私，公开页面不显示任何居民的姓名、电话和门牌号。"


@method_decorator(cache_control(public=True, max_age=300), name="dispatch")
class PublicBoardView(View):
    """A community's 通知公告栏 for anyone: its sent, public notices, newest first, by category, 20 a page."""

    def get(self, request, community_code):
        community = get_object_or_404(Community, code=community_code)
        filterset = PublicNoticeFilterSet(request.GET, Notice.objects.public(community), request=request)
        page = paginate(request, filterset.qs.select_related("community"), BOARD_PAGE_SIZE)
        from linli.residents.names import CommunityNames

        names = CommunityNames()[community.pk]
        rows = [public_notice(n, names) for n in page]
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "notices/public_board.html",
            {
                "community": community,
                "rows": rows,
                "page": page,
                "filter": filterset,
                "filter_errors": error_list(filterset),
                "categories": NoticeCategory.choices,
                "current": filterset.form.cleaned_data.get("category") if filterset.is_valid() else "",
                "query": query.urlencode(),
                "privacy": PRIVACY,
            },
        )


def _notice(code: str) -> Notice:
    """A notice that is out (sent or withdrawn) by its short code; a draft or an unknown code is a 404."""
    return get_object_or_404(Notice.objects.select_related("community").exclude(status=NoticeStatus.DRAFT), code=code)


def _shown_notice(code: str) -> Notice:
    notice = _notice(code)
    if not is_shown(notice):
        raise Http404("找不到这条通知。")
    return notice


@method_decorator(cache_control(public=True, max_age=300), name="dispatch")
class PublicNoticeView(View):
    """One notice in large type. A notice that is not public (sent only to some residents) shows where to read it
    instead: residents read it in Linli once signed in."""

    def get(self, request, code):
        notice = _notice(code)
        if notice.status == NoticeStatus.WITHDRAWN:
            audio.remove(notice)  # nothing of a withdrawn text stays public
        ctx = {"community": notice.community, "notice": notice, "privacy": PRIVACY}
        if notice.status == NoticeStatus.WITHDRAWN or notice.is_public:
            ctx["row"] = public_notice(notice)
        if is_shown(notice):
            from linli.attachments.services import photos_of

            ctx["photos"] = list(photos_of(notice))
            ctx["has_audio"] = audio.available() or audio.find(notice) is not None
        return render(request, "notices/public_notice.html", ctx)


def _range(header: str, size: int) -> tuple[int, int] | None:
    """The byte range of a `Range: bytes=a-b` header (one range; Safari asks for audio this way), or None."""
    match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header or "")
    if not match or not (match[1] or match[2]):
        return None
    if match[1]:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
    else:  # the last n bytes
        start, end = max(size - int(match[2]), 0), size - 1
    if start > end or start >= size:
        return None
    return start, end


class PublicNoticeAudioView(View):
    """The notice read aloud: made on the first request (linli.notices.audio), then streamed from the media storage
    (disk or S3), whole or by byte range."""

    def get(self, request, code):
        notice = _shown_notice(code)
        found = audio.ensure(notice)
        if found is None:
            raise Http404("这条通知暂时没有语音。")
        size = found.size
        span = _range(request.headers.get("Range", ""), size)
        if "Range" in request.headers and span is None:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        if span is None:
            response = file_response(found.name, content_type=found.content_type, missing="这条通知暂时没有语音。")
        else:
            start, end = span
            try:
                data = read_range(found.name, start, end)
            except FileNotFoundError:
                raise Http404("这条通知暂时没有语音。")
            response = HttpResponse(data, status=206, content_type=found.content_type)
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
            response["Content-Length"] = str(len(data))
        response["Accept-Ranges"] = "bytes"
        response["Content-Disposition"] = f'inline; filename="notice-{notice.code}{found.suffix}"'
        patch_cache_control(response, public=True, max_age=3600)
        return response


class PublicNoticePhotoView(View):
    """A photo attached to a sent, public notice (photos are otherwise private: linli.attachments)."""

    thumbnail = False

    def get(self, request, code, pk):
        from linli.attachments.responses import photo_response
        from linli.attachments.services import photos_of

        notice = _shown_notice(code)
        photo = get_object_or_404(photos_of(notice), pk=pk)
        return photo_response(photo, thumbnail=self.thumbnail)
