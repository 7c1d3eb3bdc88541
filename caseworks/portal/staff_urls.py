from django.urls import path

from . import staff_views

app_name = "portal_staff"

urlpatterns = [
    path("cases/<int:benefit_unit_id>/", staff_views.portal_access, name="access"),
]
