from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("cases/<int:benefit_unit_id>/", views.case_reviews, name="case_reviews"),
    path("<int:review_id>/decide/", views.review_decide, name="review_decide"),
    path("<int:review_id>/appeal/", views.appeal_create, name="appeal_create"),
    path("appeals/<int:appeal_id>/", views.appeal_edit, name="appeal_edit"),
]
