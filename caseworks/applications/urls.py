from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("inquiries/new/", views.inquiry_create, name="inquiry_create"),
    path("inquiries/<int:inquiry_id>/", views.inquiry_detail, name="inquiry_detail"),
    path("appointments/new/", views.appointment_book_view, name="appointment_book"),
    path("calendar/", views.calendar, name="calendar"),
    path("start/<int:person_id>/", views.start, name="start"),
    path("<int:application_id>/", views.edit, name="edit"),
    path("<int:application_id>/members/new/", views.member_create, name="member_create"),
    path("<int:application_id>/verification/", views.verification, name="verification"),
]
