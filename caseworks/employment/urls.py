from django.urls import path

from . import views

app_name = "employment"
urlpatterns = [
    path("providers/", views.providers, name="providers"),
    path("providers/accounts/", views.provider_account, name="provider_account"),
    path("cases/<int:benefit_unit_id>/", views.case_employment, name="case_employment"),
    path("cases/<int:benefit_unit_id>/referrals/", views.referral_create, name="referral_create"),
    path(
        "cases/<int:benefit_unit_id>/referrals/<int:referral_id>/status/",
        views.referral_status,
        name="referral_status",
    ),
    path("cases/<int:benefit_unit_id>/outcomes/", views.outcome_create, name="outcome_create"),
    path(
        "cases/<int:benefit_unit_id>/follow-ups/<int:follow_up_id>/",
        views.follow_up,
        name="follow_up",
    ),
    path("cases/<int:benefit_unit_id>/activities/", views.activity_create, name="activity_create"),
    path("cases/<int:benefit_unit_id>/exit/", views.exit_create, name="exit_create"),
    path("cases/<int:benefit_unit_id>/sessions/", views.session_register, name="session_register"),
    path("programs/", views.programs, name="programs"),
    path("programs/<int:program_id>/", views.program_detail, name="program_detail"),
    path(
        "sessions/<int:session_id>/attendance/<int:attendance_id>/",
        views.attendance_update,
        name="attendance_update",
    ),
]
