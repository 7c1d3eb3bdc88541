from django.urls import path

from . import views

app_name = "eligibility"
urlpatterns = [
    path("applications/<int:application_id>/run/", views.run, name="run"),
    path("determinations/<int:determination_id>/", views.determination, name="determination"),
    path("determinations/<int:determination_id>/decide/", views.decide, name="decide"),
    path("decisions/<int:decision_id>/", views.decision, name="decision"),
    path("decisions/<int:decision_id>/review/", views.review, name="review"),
    path("approvals/", views.approvals, name="approvals"),
]
