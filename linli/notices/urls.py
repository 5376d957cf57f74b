"""The notices' pages: staff pages (views, owned by the notices pages), print pages and the public board
(views_print, views_public), who actually got it (views_confirm). The short link /n/<code>/ is in urls_short."""

from linli.notices import urls_confirm, urls_print, urls_public, urls_staff

app_name = "notices"
urlpatterns = urls_staff.urlpatterns + urls_print.urlpatterns + urls_public.urlpatterns + urls_confirm.urlpatterns
