from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("new/", views.create, name="create"),
    path("<int:benefit_unit_id>/", views.detail, name="detail"),
    path("<int:benefit_unit_id>/status/", views.status_change, name="status_change"),
    path("<int:benefit_unit_id>/notes/", views.note_add, name="note_add"),
    path("<int:benefit_unit_id>/tasks/", views.task_add, name="task_add"),
    path("<int:benefit_unit_id>/members/", views.member_add, name="member_add"),
    path(
        "<int:benefit_unit_id>/members/<int:member_id>/end/",
        views.member_end,
        name="member_end",
    ),
    path("tasks/<int:task_id>/done/", views.task_done, name="task_complete"),
]
