from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<int:document_id>/download/", views.download, name="download"),
    path("cases/<int:benefit_unit_id>/", views.case_documents, name="case_documents"),
]
