from django.contrib import admin
from django.urls import include, path

from caseworks.caseload.views_home import home
from caseworks.portal.urls import allauth_urlpatterns
from config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Passkey ceremonies (django-otp-webauthn), as the second factor only.
    path("webauthn/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("api/", api.urls),
    path("", include("caseworks.ops.urls")),  # /health/, /health/ready/, /metrics
    path("", home, name="home"),  # the home page for each role (caseload)
    path("", include("caseworks.accounts.urls")),
    path("clients/", include("caseworks.clients.urls")),
    path("cases/", include("caseworks.cases.urls")),
    path("applications/", include("caseworks.applications.urls")),
    path("documents/", include("caseworks.documents.urls")),
    path("eligibility/", include("caseworks.eligibility.urls")),
    path("plans/", include("caseworks.plans.urls")),
    path("employment/", include("caseworks.employment.urls")),
    path("caseload/", include("caseworks.caseload.urls")),
    path("reporting/", include("caseworks.reporting.urls")),
    path("surveys/", include("caseworks.surveys.urls")),
    path("payments/", include("caseworks.payments.urls")),
    path("reviews/", include("caseworks.reviews.urls")),
    path("messaging/", include("caseworks.messaging.urls")),
    path("records/", include("caseworks.records.urls")),
    # The client realm (issue 17): its own URL space, session cookie and sign-in.
    path("my/", include("caseworks.portal.urls")),
    path("my/", include(allauth_urlpatterns)),
    path("portal-access/", include("caseworks.portal.staff_urls")),
]
