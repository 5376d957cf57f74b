from django.urls import path

from linli.tracking import views

app_name = "tracking"
urlpatterns = [
    # Following an appeal (before <code>/ so that "track" is never read as a community code).
    path("track/", views.TrackingLookupView.as_view(), name="lookup"),
    path("track/phone/", views.TrackingPhoneView.as_view(), name="phone"),
    path("track/mine/", views.TrackingListView.as_view(), name="list"),
    path("track/<str:number>/", views.TrackingStatusView.as_view(), name="status"),
    path("track/<str:number>/rate/", views.TrackingRateView.as_view(), name="rate"),
    path("track/<str:number>/photos/<int:pk>/", views.TrackingPhotoView.as_view(), name="photo"),
    path(
        "track/<str:number>/photos/<int:pk>/thumb/", views.TrackingPhotoView.as_view(thumbnail=True), name="photo_thumb"
    ),
    # Submitting, from the QR code on a community's notice board.
    path("<str:code>/", views.TrackingSubmitView.as_view(), name="submit"),
    path("<str:code>/hint/", views.TrackingHintView.as_view(), name="hint"),
    path("<str:code>/verify/", views.TrackingVerifyView.as_view(), name="verify"),
    path("<str:code>/done/", views.TrackingDoneView.as_view(), name="done"),
    path("<str:code>/poster/", views.TrackingPosterView.as_view(), name="poster"),
]
