from django.urls import path

from .views import case_money, onetime, returns, runs

app_name = "payments"
urlpatterns = [
    path("cases/<int:benefit_unit_id>/", case_money.case_money, name="case_money"),
    path("cases/<int:benefit_unit_id>/income/", case_money.income_report, name="income_report"),
    path(
        "cases/<int:benefit_unit_id>/circumstances/", case_money.circumstances, name="circumstances"
    ),
    path(
        "cases/<int:benefit_unit_id>/member-circumstances/",
        case_money.member_circumstances,
        name="member_circumstances",
    ),
    path("cases/<int:benefit_unit_id>/recalculate/", case_money.recalculate, name="recalculate"),
    path("cases/<int:benefit_unit_id>/bank-account/", case_money.bank_account, name="bank_account"),
    path(
        "cases/<int:benefit_unit_id>/bank-changes/<int:change_id>/",
        case_money.bank_change_decide,
        name="bank_change_decide",
    ),
    path("cases/<int:benefit_unit_id>/actions/", case_money.payment_action, name="payment_action"),
    path("cases/<int:benefit_unit_id>/overpayments/", case_money.overpayment, name="overpayment"),
    path("cases/<int:benefit_unit_id>/ledger/", case_money.ledger_entry, name="ledger_entry"),
    path(
        "cases/<int:benefit_unit_id>/one-time/",
        onetime.one_time_request,
        name="one_time_request",
    ),
    path("one-time/", onetime.one_time_queue, name="one_time_queue"),
    path("one-time/<int:payment_id>/decide/", onetime.one_time_decide, name="one_time_decide"),
    path("one-time/batches/", onetime.one_time_batches, name="one_time_batches"),
    path("one-time/batches/<int:batch_id>/", onetime.one_time_batch, name="one_time_batch"),
    path(
        "one-time/batches/<int:batch_id>/cpa005/",
        onetime.one_time_batch_cpa005,
        name="one_time_batch_cpa005",
    ),
    path(
        "one-time/batches/<int:batch_id>/cheques.csv",
        onetime.one_time_batch_cheques,
        name="one_time_batch_cheques",
    ),
    path("runs/", runs.run_list, name="run_list"),
    path("runs/approvers/", runs.run_approvers, name="run_approvers"),
    path("runs/<int:run_id>/", runs.run_detail, name="run_detail"),
    path("runs/<int:run_id>/dry-run/", runs.run_dry_run, name="run_dry_run"),
    path("runs/<int:run_id>/approve/", runs.run_approve, name="run_approve"),
    path("runs/<int:run_id>/release/", runs.run_release, name="run_release"),
    path("runs/<int:run_id>/cpa005/", runs.run_file, name="run_file"),
    path("runs/<int:run_id>/cheques.csv", runs.run_cheques, name="run_cheques"),
    path("runs/returns/", returns.returns_page, name="returns"),
    path(
        "runs/returns/<int:return_id>/reissue/",
        returns.return_reissue,
        name="return_reissue",
    ),
    path(
        "runs/<int:run_id>/reconciliation/",
        returns.run_reconciliation,
        name="run_reconciliation",
    ),
    path(
        "runs/<int:run_id>/reconciliation.csv",
        returns.run_reconciliation_csv,
        name="run_reconciliation_csv",
    ),
    path(
        "runs/<int:run_id>/cheque-register/",
        returns.run_cheque_register,
        name="run_cheque_register",
    ),
    path(
        "runs/<int:run_id>/cheque-register/action/",
        returns.run_cheque_action,
        name="run_cheque_action",
    ),
]

# Health benefit authorizations (issue 16), appended here to keep the list above unchanged.
from .views import authorizations  # noqa: E402

urlpatterns += [
    path(
        "cases/<int:benefit_unit_id>/health/",
        authorizations.health_authorizations,
        name="health_authorizations",
    ),
    path(
        "cases/<int:benefit_unit_id>/health/<int:authorization_id>/",
        authorizations.health_authorization,
        name="health_authorization",
    ),
    path(
        "cases/<int:benefit_unit_id>/health/<int:authorization_id>/decide/",
        authorizations.health_authorization_decide_view,
        name="health_authorization_decide",
    ),
    path(
        "cases/<int:benefit_unit_id>/health/<int:authorization_id>/invoice/",
        authorizations.health_authorization_invoice,
        name="health_authorization_invoice",
    ),
    path(
        "cases/<int:benefit_unit_id>/health/<int:authorization_id>/cancel/",
        authorizations.health_authorization_cancel_view,
        name="health_authorization_cancel",
    ),
]
