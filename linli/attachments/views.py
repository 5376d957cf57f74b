"""Serving private photos: only to users who may view the record a photo belongs to."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View

from linli.attachments.models import Photo
from linli.attachments.responses import photo_response


def visible_owner(photo: Photo, user):
    """The photo's owner if `user` may view it, else None (deny by default: owners without scoping are hidden)."""
    model = photo.content_type.model_class()
    manager = getattr(model, "objects", None) if model is not None else None
    if manager is None or not hasattr(manager, "restrict"):
        return None
    return manager.restrict(user, "view").filter(pk=photo.object_id).first()


class PhotoView(LoginRequiredMixin, View):
    """The photo (or its thumbnail) as a private, cacheable JPEG; 404 outside the user's scope."""

    thumbnail = False

    def get(self, request, pk):
        photo = get_object_or_404(Photo.objects.select_related("content_type"), pk=pk)
        if visible_owner(photo, request.user) is None:
            raise Http404("找不到这张照片。")
        return photo_response(photo, thumbnail=self.thumbnail)
