from django.urls import path

from linli.attachments import views

app_name = "attachments"
urlpatterns = [
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("photos/<int:pk>/thumb/", views.PhotoView.as_view(thumbnail=True), name="photo_thumb"),
]
