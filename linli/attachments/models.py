"""Photos attached to any record (a visit, an appeal, a fulfilled wish).

Files are private: they show residents' homes. They live under MEDIA_ROOT but are never served from
MEDIA_URL; linli.attachments.views serves them after checking that the user may view the owner.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Photo(models.Model):
    """One normalised photo (JPEG, at most 1600 px, no EXIF) and its thumbnail, owned by any record."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    # Names are chosen by services.attach_photos (photos/%Y/%m/<uuid4>.jpg), hence no upload_to logic here.
    image = models.FileField("照片", max_length=200)
    thumbnail = models.FileField("缩略图", max_length=200)
    width = models.PositiveIntegerField("宽")
    height = models.PositiveIntegerField("高")
    bytes = models.PositiveIntegerField("大小（字节）")
    caption = models.CharField("说明", max_length=200, blank=True)
    #: Shown to the resident who reported the record (an appeal's 办结照片 on their tracking page). Staff choose it
    #: per upload; off by default because photos show homes.
    public = models.BooleanField("向反映人公开", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "照片"
        ordering = ["id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="photo_owner_idx")]

    def __str__(self):
        return f"照片{self.pk}"
