"""Internal review and appeal: deadlines with their sources (ow-rules.md §5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# A request for internal review must be made within 30 days of receiving the decision (mailed
# decisions are deemed received 3 days after mailing); later requests may still be accepted
# with reasons, so a late request is flagged, never refused (Steps to Justice "Ask for an
# internal review"; City of Toronto, Windsor, Sudbury appeal pages; ow-rules.md §5).
REVIEW_REQUEST_DAYS = 30
MAILING_DAYS = 3
# The internal review decision is due within 30 days per current sources (Toronto, Windsor,
# Peel, Sudbury, Steps to Justice); older local sources say 10 (business) days. UNCERTAIN:
# 30 days is the majority/current reading; verify O. Reg. 134/98 s. 68 (ow-rules.md §5).
REVIEW_DECISION_DAYS = 30
# The right to ask for an internal review within 30 days of receiving the decision, as the
# notice of decision cites it (eligibility/constants.py, notice_of_decision_en.html).
REVIEW_REQUEST_CITATION = "Ontario Works Act, 1997, s. 27; O. Reg. 134/98, s. 68"
# Shown on the review page: the law and the reading, not the project's internal notes.
REVIEW_DECISION_CITATION = _(
    "O. Reg. 134/98, s. 68 (30 days, as current municipal and legal clinic sources say; some "
    "older local sources say 10 days)"
)
# Appeal to the Social Benefits Tribunal: within 30 days of the internal review decision, or
# within 60 days of the request if no decision was made within 30 days (Steps to Justice).
APPEAL_DAYS_AFTER_REVIEW = 30
APPEAL_DAYS_WITHOUT_DECISION = 60


class ReviewChannel(models.TextChoices):
    CLIENT_ONLINE = "client_online", _("By the client, online")
    STAFF = "staff", _("Recorded by staff")


class ReviewStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReviewOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Decision confirmed")
    VARIED = "varied", _("Decision changed in part")
    REVERSED = "reversed", _("Decision reversed")


class AppealStatus(models.TextChoices):
    FILED = "filed", _("Filed with the Tribunal")
    HEARING_SCHEDULED = "hearing_scheduled", _("Hearing scheduled")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AppealOutcome(models.TextChoices):
    ALLOWED = "allowed", _("Appeal allowed")
    DENIED = "denied", _("Appeal denied")
    REFERRED_BACK = "referred_back", _("Referred back for a new decision")
    ABANDONED = "abandoned", _("Appeal abandoned")
