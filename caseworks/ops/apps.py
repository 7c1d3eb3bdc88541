from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Observability: health checks, Prometheus metrics, structured and audit logs."""

    name = "caseworks.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        # Connects the sign-in, lockout and request-log receivers.
        from . import signals  # noqa: F401, PLC0415
