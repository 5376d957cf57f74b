from django.urls import path

from linli.site import views

# The namespace stays "core" (core:home, core:help): the names predate the shell's move out of linli/core, and
# templates, LOGIN_REDIRECT_URL and tests across the apps use them. The pages are the same; only their code moved.
app_name = "core"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("help/", views.HelpView.as_view(), name="help"),
]
