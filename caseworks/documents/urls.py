from django.urls import path

from . import views, views_letters

app_name = "documents"
urlpatterns = [
    path("<int:document_id>/download/", views.download, name="download"),
    path("cases/<int:benefit_unit_id>/", views.case_documents, name="case_documents"),
    path("letters/", views_letters.letters_to_mail, name="letters"),
]
