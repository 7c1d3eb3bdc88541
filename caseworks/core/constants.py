from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventType(models.TextChoices):
    """Business events written to the audit trail (ENTITY_VERB_PAST, stored lowercase)."""

    DELIVERY_PARTNER_CREATED = "delivery_partner_created", _("Delivery partner created")
    DELIVERY_PARTNER_UPDATED = "delivery_partner_updated", _("Delivery partner updated")
    OFFICE_CREATED = "office_created", _("Office created")
    OFFICE_UPDATED = "office_updated", _("Office updated")
    USER_CREATED = "user_created", _("Staff account created")
    USER_ROLE_CHANGED = "user_role_changed", _("Staff role changed")
    USER_UPDATED = "user_updated", _("Staff account updated")
    API_TOKEN_CREATED = "api_token_created", _("API token created")
    API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
    STAFF_INVITED = "staff_invited", _("Staff member invited")
    STAFF_INVITATION_APPROVED = "staff_invitation_approved", _("Staff invitation approved")
    STAFF_INVITATION_REVOKED = "staff_invitation_revoked", _("Staff invitation withdrawn")
    STAFF_INVITATION_ACCEPTED = "staff_invitation_accepted", _("Staff invitation accepted")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Second factor enrolled")
    SECOND_FACTOR_REMOVED = "second_factor_removed", _("Second factor removed")
    RECOVERY_CODES_ISSUED = "recovery_codes_issued", _("Recovery codes issued")
    PERSON_CREATED = "person_created", _("Person created")
    PERSON_UPDATED = "person_updated", _("Person updated")
    BENEFIT_UNIT_CREATED = "benefit_unit_created", _("Case created")
    BENEFIT_UNIT_MEMBER_ADDED = "benefit_unit_member_added", _("Member added to case")
    BENEFIT_UNIT_MEMBER_ENDED = "benefit_unit_member_ended", _("Member left case")
    CASE_STATUS_CHANGED = "case_status_changed", _("Case status changed")
    CASE_NOTE_CREATED = "case_note_created", _("Case note added")
    CASE_REASSIGNED = "case_reassigned", _("Case reassigned")
    CASE_TRANSFERRED = "case_transferred", _("Case transferred between delivery partners")
    # Written by the data migrations that repaired records left behind by earlier transfers.
    TRANSFER_LEFTOVERS_MOVED = (
        "transfer_leftovers_moved",
        _("Records left behind by an earlier transfer moved to the case's partner"),
    )
    TASK_CREATED = "task_created", _("Task created")
    TASK_COMPLETED = "task_completed", _("Task completed")
    TASK_ASSIGNED = "task_assigned", _("Task assigned to a colleague")
    TASK_NOTICE_SEEN = "task_notice_seen", _("Task assignment notice seen")
    DUPLICATE_WARNING_OVERRIDDEN = (
        "duplicate_warning_overridden",
        _("Possible duplicate acknowledged"),
    )
    INQUIRY_RECORDED = "inquiry_recorded", _("Inquiry recorded and pre-screened")
    APPOINTMENT_BOOKED = "appointment_booked", _("Appointment booked")
    APPOINTMENT_CANCELLED = "appointment_cancelled", _("Appointment cancelled")
    INQUIRY_ASSIGNED = "inquiry_assigned", _("Inquiry assigned")
    INQUIRY_CLOSED = "inquiry_closed", _("Inquiry closed")
    INQUIRY_PERSON_LINKED = "inquiry_person_linked", _("Inquiry linked to the person registered")
    APPOINTMENT_RESCHEDULED = "appointment_rescheduled", _("Appointment rescheduled")
    APPOINTMENT_OUTCOME_RECORDED = (
        "appointment_outcome_recorded",
        _("Appointment attended or missed recorded"),
    )
    APPOINTMENT_REMINDER_SENT = "appointment_reminder_sent", _("Appointment reminder sent")
    APPLICATION_STARTED = "application_started", _("Application started")
    APPLICATION_UPDATED = "application_updated", _("Application updated")
    APPLICATION_SUBMITTED = "application_submitted", _("Application submitted")
    VERIFICATION_UPDATED = "verification_updated", _("Verification item updated")
    DOCUMENT_UPLOADED = "document_uploaded", _("Document uploaded")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("Document downloaded")
    DETERMINATION_RUN = "determination_run", _("Eligibility determination run")
    DECISION_MADE = "decision_made", _("Decision made")
    DECISION_OVERRIDE_APPROVED = "decision_override_approved", _("Override approved")
    DECISION_OVERRIDE_REJECTED = "decision_override_rejected", _("Override rejected")
    NOTICE_GENERATED = "notice_generated", _("Notice of decision generated")
    LETTER_PRINTED = "letter_printed", _("Letter printed for the post")
    # Plans, referrals, employment and caseload (issue 6)
    PARTICIPATION_AGREEMENT_CREATED = (
        "participation_agreement_created",
        _("Participation agreement created"),
    )
    PARTICIPATION_AGREEMENT_SIGNED = "participation_agreement_signed", _("Agreement signed")
    PARTICIPATION_AGREEMENT_UPDATED = "participation_agreement_updated", _("Agreement updated")
    PARTICIPATION_AGREEMENT_REVIEWED = "participation_agreement_reviewed", _("Agreement reviewed")
    PARTICIPATION_DEFERRAL_RECORDED = "participation_deferral_recorded", _("Deferral recorded")
    PARTICIPATION_DEFERRAL_ENDED = "participation_deferral_ended", _("Deferral ended")
    SERVICE_PROVIDER_CREATED = "service_provider_created", _("Service provider added")
    PROVIDER_ACCOUNT_CREATED = "provider_account_created", _("Provider account created")
    REFERRAL_SENT = "referral_sent", _("Referral sent")
    REFERRAL_STATUS_CHANGED = "referral_status_changed", _("Referral status changed")
    EMPLOYMENT_ACTIVITY_RECORDED = "employment_activity_recorded", _("Employment activity recorded")
    PROGRAM_SESSION_CREATED = "program_session_created", _("Workshop session created")
    SESSION_ATTENDANCE_RECORDED = "session_attendance_recorded", _("Attendance recorded")
    EMPLOYMENT_OUTCOME_RECORDED = "employment_outcome_recorded", _("Employment outcome recorded")
    OUTCOME_FOLLOW_UP_RECORDED = "outcome_follow_up_recorded", _("Job follow-up recorded")
    ASSISTANCE_EXIT_RECORDED = "assistance_exit_recorded", _("Exit from assistance recorded")
    # Monthly cycle: income, recalculation, payment runs, overpayments (issue 5)
    INCOME_REPORT_RECORDED = "income_report_recorded", _("Monthly income reported")
    CIRCUMSTANCES_CHANGE_RECORDED = "circumstances_change_recorded", _("Change of circumstances")
    RECALCULATION_APPLIED = "recalculation_applied", _("Benefit months recalculated")
    BANK_ACCOUNT_RECORDED = "bank_account_recorded", _("Direct deposit account recorded")
    PAYMENT_ACTION_RECORDED = "payment_action_recorded", _("Payment hold or status action")
    PAYMENT_RUN_PREPARED = "payment_run_prepared", _("Payment run prepared")
    PAYMENT_RUN_DRY_RUN_COMPLETED = "payment_run_dry_run_completed", _("Payment run dry run")
    PAYMENT_RUN_APPROVED = "payment_run_approved", _("Payment run approved")
    PAYMENT_RUN_RELEASE_STARTED = "payment_run_release_started", _("Payment run release started")
    PAYMENT_RUN_RELEASED = "payment_run_released", _("Payment run released")
    PAYMENT_RUN_DRY_RUN_FAILED = "payment_run_dry_run_failed", _("Payment run dry run failed")
    PAYMENT_RUN_EXCEPTIONS_ACKNOWLEDGED = (
        "payment_run_exceptions_acknowledged",
        _("Payment run cases acknowledged by the approver"),
    )
    PAYMENT_APPROVER_CHANGED = (
        "payment_approver_changed",
        _("Payment run approver named or removed"),
    )
    PAYMENT_FILE_GENERATED = "payment_file_generated", _("Payment file generated")
    PAYMENT_RETURNS_IMPORTED = "payment_returns_imported", _("Bank returns file imported")
    PAYMENT_REISSUED = "payment_reissued", _("Returned or stopped payment reissued")
    ONE_TIME_PAYMENT_REQUESTED = "one_time_payment_requested", _("One-time payment requested")
    ONE_TIME_PAYMENT_DECIDED = "one_time_payment_decided", _("One-time payment approved or refused")
    ONE_TIME_BATCH_ISSUED = "one_time_batch_issued", _("Between-run payments issued")
    ONE_TIME_POLICY_CHANGED = "one_time_policy_changed", _("One-time payment limits changed")
    CHEQUE_ACTION_RECORDED = "cheque_action_recorded", _("Cheque stopped, cancelled or reissued")
    LEDGER_ENTRY_RECORDED = "ledger_entry_recorded", _("Overpayment ledger entry recorded")
    RECOVERY_RATE_SET = "recovery_rate_set", _("Overpayment recovery rate set")
    INTERNAL_REVIEW_REQUESTED = "internal_review_requested", _("Internal review requested")
    INTERNAL_REVIEW_DECIDED = "internal_review_decided", _("Internal review decided")
    APPEAL_RECORDED = "appeal_recorded", _("Appeal to the Social Benefits Tribunal recorded")
    APPEAL_UPDATED = "appeal_updated", _("Appeal updated")
    # Clients online (issue 17): messages, reported changes, uploaded proofs
    MESSAGE_SENT = "message_sent", _("Secure message sent")
    MESSAGE_READ = "message_read", _("Secure messages read")
    MESSAGE_THREAD_ESCALATED = (
        "message_thread_escalated",
        _("Unanswered message sent to a supervisor"),
    )
    REPORTED_CHANGE_SUBMITTED = "reported_change_submitted", _("Change reported by the client")
    REPORTED_CHANGE_DECIDED = "reported_change_decided", _("Reported change verified or rejected")
    CLIENT_UPLOAD_RECEIVED = "client_upload_received", _("Proof uploaded by the client")
    # Provincial oversight (issue 7)
    SURVEY_CREATED = "survey_created", _("Survey created")
    SURVEY_QUESTION_ADDED = "survey_question_added", _("Survey question added")
    SURVEY_SENT = "survey_sent", _("Survey sent to delivery partners")
    SURVEY_RESPONSE_SAVED = "survey_response_saved", _("Survey answers saved as a draft")
    SURVEY_RESPONSE_SUBMITTED = "survey_response_submitted", _("Survey answers submitted")
    POLICY_SIMULATION_RUN = "policy_simulation_run", _("Policy simulation run")
    # Records retention (issue 11)
    LEGAL_HOLD_PLACED = "legal_hold_placed", _("Legal hold placed on a file")
    LEGAL_HOLD_LIFTED = "legal_hold_lifted", _("Legal hold lifted")
    CLOSED_FILE_PURGED = "closed_file_purged", _("Closed file's personal data removed (retention)")
    # The client realm (issue 17)
    PORTAL_ACTIVATION_CODE_ISSUED = "portal_activation_code_issued", _("Portal activation code")
    PORTAL_ACCOUNT_ACTIVATED = "portal_account_activated", _("Client portal account opened")
    PORTAL_REPORT_RECEIVED = "portal_report_received", _("Monthly report received from client")
    PORTAL_PREFERENCES_CHANGED = "portal_preferences_changed", _("Client changed portal settings")
    PORTAL_PROOF_OF_ASSISTANCE_ISSUED = (
        "portal_proof_of_assistance_issued",
        _("Proof of assistance letter issued"),
    )
    HEALTH_AUTHORIZATION_REQUESTED = (
        "health_authorization_requested",
        _("Health benefit authorization requested"),
    )
    HEALTH_AUTHORIZATION_DECIDED = (
        "health_authorization_decided",
        _("Health benefit authorization approved or refused"),
    )
    HEALTH_AUTHORIZATION_INVOICED = (
        "health_authorization_invoiced",
        _("Vendor's invoice recorded against a health benefit authorization"),
    )
    HEALTH_AUTHORIZATION_CANCELLED = (
        "health_authorization_cancelled",
        _("Health benefit authorization cancelled"),
    )
