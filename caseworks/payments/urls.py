from django.urls import path

from . import views, views_returns

app_name = "payments"
urlpatterns = [
    path("cases/<int:benefit_unit_id>/", views.case_money, name="case_money"),
    path("cases/<int:benefit_unit_id>/income/", views.income_report, name="income_report"),
    path("cases/<int:benefit_unit_id>/circumstances/", views.circumstances, name="circumstances"),
    path(
        "cases/<int:benefit_unit_id>/member-circumstances/",
        views.member_circumstances,
        name="member_circumstances",
    ),
    path("cases/<int:benefit_unit_id>/recalculate/", views.recalculate, name="recalculate"),
    path("cases/<int:benefit_unit_id>/bank-account/", views.bank_account, name="bank_account"),
    path(
        "cases/<int:benefit_unit_id>/bank-changes/<int:change_id>/",
        views.bank_change_decide,
        name="bank_change_decide",
    ),
    path("cases/<int:benefit_unit_id>/actions/", views.payment_action, name="payment_action"),
    path("cases/<int:benefit_unit_id>/overpayments/", views.overpayment, name="overpayment"),
    path("cases/<int:benefit_unit_id>/ledger/", views.ledger_entry, name="ledger_entry"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/approvers/", views.run_approvers, name="run_approvers"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<int:run_id>/dry-run/", views.run_dry_run, name="run_dry_run"),
    path("runs/<int:run_id>/approve/", views.run_approve, name="run_approve"),
    path("runs/<int:run_id>/release/", views.run_release, name="run_release"),
    path("runs/<int:run_id>/cpa005/", views.run_file, name="run_file"),
    path("runs/<int:run_id>/cheques.csv", views.run_cheques, name="run_cheques"),
    path("runs/returns/", views_returns.returns_page, name="returns"),
    path(
        "runs/returns/<int:return_id>/reissue/",
        views_returns.return_reissue,
        name="return_reissue",
    ),
    path(
        "runs/<int:run_id>/reconciliation/",
        views_returns.run_reconciliation,
        name="run_reconciliation",
    ),
    path(
        "runs/<int:run_id>/reconciliation.csv",
        views_returns.run_reconciliation_csv,
        name="run_reconciliation_csv",
    ),
    path(
        "runs/<int:run_id>/cheque-register/",
        views_returns.run_cheque_register,
        name="run_cheque_register",
    ),
    path(
        "runs/<int:run_id>/cheque-register/action/",
        views_returns.run_cheque_action,
        name="run_cheque_action",
    ),
]
