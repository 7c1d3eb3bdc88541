from django.urls import path

from .health import liveness_view, readiness_view
from .metrics import metrics_view

app_name = "ops"

urlpatterns = [
    path("health/", liveness_view, name="health"),
    path("health/ready/", readiness_view, name="ready"),
    path("metrics", metrics_view, name="metrics"),
]
