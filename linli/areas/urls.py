from django.urls import path

from linli.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.AreaTreeView.as_view(), name="area_tree"),
    path("streets/new/", views.StreetEditView.as_view(), name="street_add"),
    path("streets/<int:pk>/", views.StreetDetailView.as_view(), name="street_detail"),
    path("streets/<int:pk>/edit/", views.StreetEditView.as_view(), name="street_edit"),
    path("communities/new/", views.CommunityEditView.as_view(), name="community_add"),
    path("communities/<int:pk>/", views.CommunityDetailView.as_view(), name="community_detail"),
    path("communities/<int:pk>/edit/", views.CommunityEditView.as_view(), name="community_edit"),
    path("grids/new/", views.GridEditView.as_view(), name="grid_add"),
    path("grids/<int:pk>/", views.GridDetailView.as_view(), name="grid_detail"),
    path("grids/<int:pk>/edit/", views.GridEditView.as_view(), name="grid_edit"),
    path("buildings/new/", views.BuildingEditView.as_view(), name="building_add"),
    path("buildings/<int:pk>/", views.BuildingDetailView.as_view(), name="building_detail"),
    path("buildings/<int:pk>/edit/", views.BuildingEditView.as_view(), name="building_edit"),
    path("grids/<int:pk>/delete/", views.GridDeleteView.as_view(), name="grid_delete"),
    path("buildings/<int:pk>/delete/", views.BuildingDeleteView.as_view(), name="building_delete"),
    path("households/<int:pk>/delete/", views.HouseholdDeleteView.as_view(), name="household_delete"),
    path("buildings/<int:pk>/move/", views.BuildingMoveView.as_view(), name="building_move"),
    path("households/new/", views.HouseholdEditView.as_view(), name="household_add"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household_detail"),
    path("households/<int:pk>/edit/", views.HouseholdEditView.as_view(), name="household_edit"),
]
