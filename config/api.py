"""The REST API (django-ninja). OpenAPI schema at /api/openapi.json, docs at /api/docs.

Each app adds its router here: `api.add_router("/<prefix>/", <app>.api.router)`.
"""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Caseworks API",
    version="1.0.0",
    description="Ontario Works delivery: clients, cases, applications and decisions.",
    urls_namespace="api",
)
