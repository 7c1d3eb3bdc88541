"""People who apply for or receive Ontario Works, and the log of who viewed their files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel

from .constants import Language


class Person(BaseModel):
    """A client. Belongs to exactly one delivery partner (the one serving them now)."""

    delivery_partner = models.ForeignKey(
        "partners.DeliveryPartner", on_delete=models.PROTECT, related_name="people"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("middle name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    # The Social Insurance Number is stored for verification and matching; the UI shows only
    # the last three digits (sin_last3). Normalised to 9 digits, Luhn-checked by the service.
    sin = models.CharField(_("Social Insurance Number"), max_length=9, blank=True)
    sin_last3 = models.CharField(max_length=3, blank=True, editable=False)
    # Normalised keys (lowercase, accents removed) for fast prefix search and duplicate matching.
    first_name_key = models.CharField(max_length=100, editable=False)
    last_name_key = models.CharField(max_length=100, editable=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address_line = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    language_preference = models.CharField(
        _("language of service"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["first_name_key", "last_name_key"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name_key", "first_name_key", "id"]
        indexes = [
            # Partner-scoped searches. On PostgreSQL a migration adds varchar_pattern_ops
            # variants of the name indexes so that prefix LIKE uses them.
            models.Index(fields=["delivery_partner", "date_of_birth"], name="person_partner_dob"),
            models.Index(fields=["delivery_partner", "sin_last3"], name="person_partner_sin3"),
            # Province-wide duplicate detection.
            models.Index(fields=["sin"], name="person_sin"),
            models.Index(
                fields=["last_name_key", "first_name_key", "date_of_birth"], name="person_name_dob"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.first_name, self.middle_name, self.last_name] if p)

    @property
    def masked_sin(self) -> str:
        return f"*** *** {self.sin_last3}" if self.sin_last3 else ""


class ClientFileAccess(models.Model):
    """Who viewed which client file, when, and through what (page or API)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="file_accesses")
    benefit_unit_id = models.BigIntegerField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    viewed_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=16, default="web")
    view_name = models.CharField(max_length=100)
    # What was asked, for searches and duplicate checks: the query with every digit masked, or
    # the names of the fields probed. Never a SIN.
    detail = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["person", "viewed_at"]),
            models.Index(fields=["viewed_at"], name="client_access_viewed_at"),
            models.Index(fields=["user", "viewed_at"]),
        ]
        ordering = ["-viewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} viewed person {self.person_id} at {self.viewed_at:%Y-%m-%d %H:%M}"
