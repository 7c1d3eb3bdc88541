from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    """Who delivers Ontario Works in an area (Ontario Works Act, 1997; O. Reg. 369/24)."""

    MINISTRY = "ministry", _("Ministry (provincial delivery agent)")
    CMSM = "cmsm", _("Consolidated Municipal Service Manager")
    DSSAB = "dssab", _("District Social Services Administration Board")
    FIRST_NATION = "first_nation", _("First Nation delivery agent")
