"""Bank details changed online: second factor, proof and the payments app's cooling-off."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from caseworks.accounts.models import User
from caseworks.core.errors import ApplicationError
from caseworks.documents.services import document_upload_from_client
from caseworks.payments.bank_details import bank_detail_change_request_for_client
from caseworks.payments.models import BankDetailChange

from ..models import PortalAccount
from ._common import (
    require_own_account,
)


@transaction.atomic
def portal_bank_change_request(
    *,
    acting_user: User,
    account: PortalAccount,
    second_factor_recent: bool,
    holder_name: str,
    institution: str,
    transit: str,
    account_number: str,
    proof_filename: str,
    proof_content: bytes,
) -> BankDetailChange:
    """A new direct-deposit account from the client, after their second factor: the proof is
    kept on the case and the change waits for a staff member's approval, then its notice and
    cooling-off (caseworks.payments.bank_details)."""
    require_own_account(acting_user=acting_user, account=account)
    if not second_factor_recent:
        raise ApplicationError(
            _("Confirm it is you with your second factor before changing bank details."),
            code="second_factor_required",
        )
    proof = document_upload_from_client(
        acting_user=acting_user,
        person=account.person,
        benefit_unit=account.benefit_unit,
        title=_("Void cheque or direct deposit form sent online"),
        filename=proof_filename,
        content=proof_content,
    )
    return bank_detail_change_request_for_client(
        acting_user=acting_user,
        benefit_unit=account.benefit_unit,
        holder_name=holder_name,
        institution=institution,
        transit=transit,
        account=account_number,
        proof=proof,
    )
