from django.urls import path

from linli.notices import views_public

urlpatterns = [
    path("public/<str:community_code>/", views_public.PublicBoardView.as_view(), name="public_board"),
]
