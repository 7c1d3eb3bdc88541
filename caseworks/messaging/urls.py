from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("changes/", views.changes_queue, name="changes"),
    path("cases/<int:benefit_unit_id>/", views.case_messages, name="case"),
    path("changes/<int:reported_change_id>/decide/", views.change_decide, name="change_decide"),
    path("uploads/<int:upload_id>/accept/", views.upload_accept, name="upload_accept"),
]
