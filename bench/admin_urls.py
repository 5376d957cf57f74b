"""URLconf of bench/admin_settings.py: Django's admin at /admin/ with a ResidentAdmin, then all of Linli."""

from django.contrib import admin
from django.urls import path

from linli.residents.models import Resident
from linli.urls import urlpatterns as linli_urlpatterns


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    """The resident list as a Django team would build it first: the columns of Linli's list (姓名 性别 年龄 地址 网格
    电话 标签), its filters (grid, tag) and search (name, pinyin), its page size and order (walking order: building,
    entrance, floor, room), over the same residents (the bench street's active residents, set by the bench)."""

    street_id = None  # set by bench/admin_compare.py: the street administrator's street

    list_display = ("name", "sex", "age", "address", "grid", "phone_masked", "tag_names")
    list_filter = ("grid", "tags")
    search_fields = ("name", "name_pinyin")
    list_select_related = ("household", "building", "grid")
    list_per_page = 30
    ordering = ("building__number", "household__entrance", "household__floor", "household__room", "id")

    def get_queryset(self, request):
        qs = super().get_queryset(request).filter(street_id=self.street_id, status="active")
        return qs.prefetch_related("tags")

    @admin.display(description="地址")
    def address(self, r):
        return f"{r.building.name}{r.household.entrance}单元{r.household.room}"

    @admin.display(description="标签")
    def tag_names(self, r):
        return "、".join(t.name for t in r.tags.all())


urlpatterns = [path("admin/", admin.site.urls), *linli_urlpatterns]
