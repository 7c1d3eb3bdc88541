from django.urls import path

from . import views, views_tasks

app_name = "caseload"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("workers/<int:worker_id>/", views.worker, name="worker"),
    path("supervisor/", views.supervisor, name="supervisor"),
    path("reassign/", views.reassign, name="reassign"),
    path("tasks/", views_tasks.tasks, name="tasks"),
    path("tasks/notices/seen/", views_tasks.task_notices_seen, name="task_notices_seen"),
    path("cases/<int:benefit_unit_id>/transfer/", views.transfer, name="transfer"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<int:transfer_id>/", views.transfer_history, name="transfer_history"),
]
