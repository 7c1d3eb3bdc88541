"""The client realm's URL space: /my/… (config/urls.py). Its own sign-in pages; django-allauth's
account and second-factor pages under /my/account/."""

from allauth.account import views as allauth_views
from django.urls import include, path

from . import change_views, contact_views, views
from .apply import views as apply_views

app_name = "portal"

urlpatterns = [
    path("login/", allauth_views.LoginView.as_view(), name="login"),
    path("activate/", views.activate, name="activate"),
    path("", views.home, name="home"),
    path("statements/", views.statements, name="statements"),
    path("statements/<int:year>/<int:month>/", views.statement, name="statement"),
    path("letters/", views.letters, name="letters"),
    path("letters/<int:document_id>/", views.letter_download, name="letter_download"),
    path("letters/proof-of-assistance/", views.proof_of_assistance, name="proof_of_assistance"),
    path("letters/preferences/", views.preferences, name="preferences"),
    path("report/", views.report, name="report"),
    path("report/nothing-changed/", views.report_nothing_changed, name="report_nothing_changed"),
    path("report/stub/", views.report_stub, name="report_stub"),
    path("report/receipts/<int:receipt_id>/", views.receipt, name="receipt"),
    path("bank/", views.bank, name="bank"),
    path("access-log/", views.access_log, name="access_log"),
    path("messages/", contact_views.messages_page, name="messages"),
    path(
        "decisions/<int:decision_id>/review/",
        contact_views.review_request,
        name="review_request",
    ),
    path("reviews/<int:review_id>/", contact_views.review_requested, name="review_requested"),
    # Report a change (a move, a housing cost, someone moving in or out) and the documents the
    # verification checklist asks for.
    path("changes/", change_views.changes, name="changes"),
    *[
        path(
            f"changes/{slug}/",
            change_views.change_report,
            {"kind": kind},
            name=change_views.change_url_name(kind).removeprefix("portal:"),
        )
        for kind, (slug, _form) in change_views.CHANGE_FORMS.items()
    ],
    path("documents/", change_views.documents, name="documents"),
    path("documents/<int:item_id>/", change_views.document_upload, name="document_upload"),
    path("sms/inbound/", views.sms_inbound, name="sms_inbound"),
    # The online application: open to anyone (no account; PUBLIC_PORTAL_PATHS).
    path("apply/", apply_views.start, name="apply"),
    *[
        path(f"apply/{name}/", apply_views.screen, {"name": name}, name=f"apply_{name}")
        for name in apply_views.SCREENS
    ],
    path("apply/review/", apply_views.review, name="apply_review"),
    path("apply/done/", apply_views.done, name="apply_done"),
]

# django-allauth (password, password reset by e-mail, second factor: authenticator app, passkeys
# and recovery codes) keeps its own URL names (account_login, mfa_index, …): not in this
# namespace, included by config/urls.py.
allauth_urlpatterns = [path("account/", include("allauth.urls"))]
