from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventType(models.TextChoices):
    """Business events written to the audit trail (ENTITY_VERB_PAST, stored lowercase)."""

    DELIVERY_PARTNER_CREATED = "delivery_partner_created", _("Delivery partner created")
    DELIVERY_PARTNER_UPDATED = "delivery_partner_updated", _("Delivery partner updated")
    OFFICE_CREATED = "office_created", _("Office created")
    USER_CREATED = "user_created", _("Staff account created")
    USER_ROLE_CHANGED = "user_role_changed", _("Staff role changed")
    API_TOKEN_CREATED = "api_token_created", _("API token created")
    PERSON_CREATED = "person_created", _("Person created")
    PERSON_UPDATED = "person_updated", _("Person updated")
    BENEFIT_UNIT_CREATED = "benefit_unit_created", _("Case created")
    BENEFIT_UNIT_MEMBER_ADDED = "benefit_unit_member_added", _("Member added to case")
    BENEFIT_UNIT_MEMBER_ENDED = "benefit_unit_member_ended", _("Member left case")
    CASE_STATUS_CHANGED = "case_status_changed", _("Case status changed")
    CASE_NOTE_CREATED = "case_note_created", _("Case note added")
    CASE_REASSIGNED = "case_reassigned", _("Case reassigned")
    CASE_TRANSFERRED = "case_transferred", _("Case transferred between delivery partners")
    TASK_CREATED = "task_created", _("Task created")
    TASK_COMPLETED = "task_completed", _("Task completed")
    DUPLICATE_WARNING_OVERRIDDEN = (
        "duplicate_warning_overridden",
        _("Possible duplicate acknowledged"),
    )
    INQUIRY_RECORDED = "inquiry_recorded", _("Inquiry recorded and pre-screened")
    APPOINTMENT_BOOKED = "appointment_booked", _("Appointment booked")
    APPOINTMENT_CANCELLED = "appointment_cancelled", _("Appointment cancelled")
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
