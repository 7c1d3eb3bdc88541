"""Staff accounts. Custom User from day one."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .constants import API_TOKEN_MAX_DAYS, PROVINCIAL_ROLES, ROLE_CAPABILITIES, Capability, Role


class User(AbstractUser):
    """A staff member. Belongs to one delivery partner, except provincial analysts and auditors."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner",
        verbose_name=_("delivery partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    office = models.ForeignKey(
        "partners.Office",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=[("en", "English"), ("fr", "Français")],
        default="en",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(delivery_partner__isnull=False)
                    | models.Q(role__in=[r.value for r in PROVINCIAL_ROLES])
                    | models.Q(role="")
                ),
                name="user_partner_required_for_partner_roles",
            ),
        ]

    @property
    def capabilities(self) -> frozenset[Capability]:
        if not self.is_active:
            return frozenset()
        return ROLE_CAPABILITIES.get(self.role, frozenset())

    def has_capability(self, capability: str) -> bool:
        """`capability` is a `Capability` (a str enum) or its value."""
        return capability in self.capabilities

    @property
    def is_provincial(self) -> bool:
        """Provincial staff (no partner) see across all delivery partners, read-only."""
        return self.delivery_partner_id is None and self.role in PROVINCIAL_ROLES


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a SHA-256 hash of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Set when the token was made in a session verified by a second factor: only such tokens
    # may be used for payment, bank-detail and override operations (issue 13).
    second_factor_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_token(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        latest = self.created_at + dt.timedelta(days=API_TOKEN_MAX_DAYS)
        expires_at = latest if self.expires_at is None else min(self.expires_at, latest)
        return self.revoked_at is None and expires_at > now


class StaffInvitation(models.Model):
    """An invitation to a staff account, or to a new role for an existing account (issue 13).

    A partner administrator invites; the person sets their own password through a one-time link
    sent to their e-mail (only a SHA-256 hash of the link's token is stored) and enrols a second
    factor at first sign-in. Roles that move money, approve overrides or manage staff need a
    second approver first: another administrator of the partner, or a Ministry system
    administrator; never the inviter."""

    class Kind(models.TextChoices):
        NEW_ACCOUNT = "new_account", _("New account")
        ROLE_CHANGE = "role_change", _("Role change")

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting a second approver")
        SENT = "sent", _("Sent: waiting for the person")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner",
        verbose_name=_("delivery partner"),
        on_delete=models.PROTECT,
        related_name="staff_invitations",
    )
    office = models.ForeignKey(
        "partners.Office",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    username = models.CharField(_("username"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=[("en", "English"), ("fr", "Français")],
        default="en",
    )
    # For a role change: the account whose role changes when the change is approved.
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(approved_by=models.F("invited_by")),
                name="invitation_second_approver_is_not_the_inviter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} ({self.role}, {self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.AWAITING_APPROVAL, self.Status.SENT)
