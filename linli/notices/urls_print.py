from django.urls import path

from linli.notices import views_print

urlpatterns = [
    path("<int:pk>/poster/", views_print.NoticePosterView.as_view(), name="notice_poster"),
    path("<int:pk>/checklist/", views_print.NoticeChecklistView.as_view(), name="notice_checklist"),
]
