"""Print pages of a notice (A4 poster, household checklist): written by the print work."""

from django.http import Http404


def notice_poster(request, pk):
    raise Http404("尚未实现")


def notice_checklist(request, pk):
    raise Http404("尚未实现")
