"""The city's districts (райони у місті): shared by the portal, appeals and statistics."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.TextChoices):
    """The city's districts (райони у місті)."""

    DOV = "DOV", _("Довгинцівський")
    ING = "ING", _("Інгулецький")
    MET = "MET", _("Металургійний")
    POK = "POK", _("Покровський")
    SAK = "SAK", _("Саксаганський")
    TER = "TER", _("Тернівський")
    TSM = "TSM", _("Центрально-Міський")
