"""/n/<code>/: a notice's short public address (posters' QR codes, SMS and group messages)."""

from django.urls import path

from linli.notices import views_public

app_name = "notice_links"
urlpatterns = [
    path("<str:code>/", views_public.public_notice, name="public_notice"),
]
