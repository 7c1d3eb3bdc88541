"""The delivery network: the Ministry, service managers, First Nations and their offices."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from caseworks.core.models import BaseModel

from .constants import PartnerKind


class DeliveryPartner(BaseModel):
    """A body that delivers Ontario Works: every client record belongs to exactly one."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    region = models.CharField(_("region"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source of this record"), max_length=300, blank=True)
    is_demo = models.BooleanField(
        _("demonstration record"),
        default=False,
        help_text=_("Synthetic record for demonstration; not a real delivery partner."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("delivery partner")
        verbose_name_plural = _("delivery partners")

    def __str__(self) -> str:
        return self.name

    @property
    def is_ministry(self) -> bool:
        return self.kind == PartnerKind.MINISTRY

    @property
    def is_first_nation(self) -> bool:
        return self.kind == PartnerKind.FIRST_NATION


class Office(BaseModel):
    """A site where a delivery partner serves clients."""

    delivery_partner = models.ForeignKey(
        DeliveryPartner, on_delete=models.PROTECT, related_name="offices"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["delivery_partner__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["delivery_partner", "name"], name="office_unique_name")
        ]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return f"{self.name} ({self.delivery_partner.name})"
