from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("cases/<int:benefit_unit_id>/", views.case_plans, name="case_plans"),
    path("<int:agreement_id>/", views.detail, name="detail"),
    path("<int:agreement_id>/goals/", views.goal_add, name="goal_add"),
    path("<int:agreement_id>/activities/", views.activity_add, name="activity_add"),
    path("<int:agreement_id>/sign/", views.sign, name="sign"),
    path("<int:agreement_id>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("<int:agreement_id>/reviews/", views.review, name="review"),
    path("<int:agreement_id>/deferrals/", views.deferral, name="deferral"),
]
