"""/n/<code>/: a notice's short public address (posters' QR codes, SMS and group messages), its audio and photos."""

from django.urls import path

from linli.notices import views_public

app_name = "notice_links"
urlpatterns = [
    path("<str:code>/", views_public.PublicNoticeView.as_view(), name="public_notice"),
    path("<str:code>/audio/", views_public.PublicNoticeAudioView.as_view(), name="public_notice_audio"),
    path("<str:code>/photos/<int:pk>/", views_public.PublicNoticePhotoView.as_view(), name="public_notice_photo"),
    path(
        "<str:code>/photos/<int:pk>/thumb/",
        views_public.PublicNoticePhotoView.as_view(thumbnail=True),
        name="public_notice_photo_thumb",
    ),
]
