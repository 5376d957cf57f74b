from django.urls import path

from linli.notices import views_print

urlpatterns = [
    path("<int:pk>/poster/", views_print.notice_poster, name="notice_poster"),
    path("<int:pk>/checklist/", views_print.notice_checklist, name="notice_checklist"),
]
