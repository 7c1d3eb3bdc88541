from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("access-log/", views.access_log_search, name="access_log_search"),
    path("access-log/export/", views.access_log_export, name="access_log_export"),
    path("<int:person_id>/", views.detail, name="detail"),
    path("<int:person_id>/edit/", views.edit, name="edit"),
    path("<int:person_id>/access-log/", views.access_log, name="access_log"),
]
