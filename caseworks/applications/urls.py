from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("inquiries/", views.inquiry_list, name="inquiry_list"),
    path("inquiries/new/", views.inquiry_create, name="inquiry_create"),
    path("inquiries/<int:inquiry_id>/", views.inquiry_detail, name="inquiry_detail"),
    path("inquiries/<int:inquiry_id>/register/", views.inquiry_register, name="inquiry_register"),
    path("inquiries/<int:inquiry_id>/link/", views.inquiry_link, name="inquiry_link"),
    path("appointments/new/", views.appointment_book_view, name="appointment_book"),
    path(
        "appointments/<int:appointment_id>/",
        views.appointment_detail,
        name="appointment_detail",
    ),
    path("calendar/", views.calendar, name="calendar"),
    path("start/<int:person_id>/", views.start, name="start"),
    path("cases/<int:benefit_unit_id>/start/", views.start_for_case, name="start_for_case"),
    path("<int:application_id>/", views.edit, name="edit"),
    path("<int:application_id>/members/new/", views.member_create, name="member_create"),
    path("<int:application_id>/verification/", views.verification, name="verification"),
]
