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

    def has_capability(self, capability: Capability) -> bool:
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
