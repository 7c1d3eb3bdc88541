from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.<str:fmt>", views.dashboard_export, name="dashboard_export"),
    path("compare/", views.compare, name="compare"),
    path("compare/export.<str:fmt>", views.compare_export, name="compare_export"),
    path("partners/<int:partner_id>/", views.partner, name="partner"),
    path("partners/<int:partner_id>/export.<str:fmt>", views.partner_export, name="partner_export"),
    path("simulation/", views.simulation, name="simulation"),
    path("simulation/<int:simulation_id>/", views.simulation_detail, name="simulation_detail"),
]
