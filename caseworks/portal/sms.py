"""Text messages: a pluggable outbound backend (settings.SMS_BACKEND, like EMAIL_BACKEND) that
writes every message to the outbox table first, and the signature check of the inbound webhook.

A provider's backend subclasses `SmsBackend` and implements `deliver` (its HTTP call). The
console backend, for the demo and tests, only logs the message id: text is client data and logs
are not access-controlled.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .constants import SmsDirection, SmsStatus
from .models import SmsMessage

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Caseworks-Signature"
_NOT_DIGITS = re.compile(r"\D")


def normalise_phone(raw: str) -> str:
    """A North American number as its 10 digits ('+1 (416) 555-0100' → '4165550100');
    '' for anything that is not one."""
    digits = _NOT_DIGITS.sub("", raw or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) == 10 else ""


class SmsBackend:
    """Send one text message. `send` keeps it in the outbox, then hands it to `deliver`."""

    def send(self, *, phone: str, body: str, benefit_unit_id: int | None = None) -> SmsMessage:
        message = SmsMessage.objects.create(
            direction=SmsDirection.OUTBOUND,
            status=SmsStatus.QUEUED,
            phone=phone,
            body=body,
            benefit_unit_id=benefit_unit_id,
        )
        provider_id = self.deliver(message)
        message.status = SmsStatus.SENT
        message.provider_id = provider_id[:64]
        message.sent_at = timezone.now()
        message.save(update_fields=["status", "provider_id", "sent_at"])
        return message

    def deliver(self, message: SmsMessage) -> str:
        """Hand the message to the provider; return the provider's id for it."""
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    """For the demo and tests: the outbox row is the message; the log names its id only."""

    def deliver(self, message: SmsMessage) -> str:
        logger.info("sms_outbound", extra={"sms_message_id": message.pk})
        return f"console-{message.pk}"


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


def webhook_signature(body: bytes, secret: str | None = None) -> str:
    """HMAC-SHA256 of the raw request body, hex, with settings.SMS_WEBHOOK_SECRET."""
    key = (secret if secret is not None else settings.SMS_WEBHOOK_SECRET).encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def webhook_signature_valid(body: bytes, signature: str) -> bool:
    """Refuses everything while no secret is configured."""
    if not settings.SMS_WEBHOOK_SECRET or not signature:
        return False
    return hmac.compare_digest(webhook_signature(body), signature.strip().lower())
