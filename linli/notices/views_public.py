"""Public notice pages (no login): written by the public-pages work."""

from django.http import Http404


def public_board(request, community_code):
    raise Http404("尚未实现")


def public_notice(request, code):
    raise Http404("尚未实现")
