from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("legal-holds/", views.legal_holds, name="legal_holds"),
]
