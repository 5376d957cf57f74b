"""The notices' pages: staff pages (views, owned by the notices pages), print pages and the public board
(views_print, views_public). The short link /n/<code>/ is in urls_short."""

from linli.notices import urls_print, urls_public, urls_staff

app_name = "notices"
urlpatterns = urls_staff.urlpatterns + urls_print.urlpatterns + urls_public.urlpatterns
