"""One-time SMS codes go through an interface; a deployment plugs in its SMS gateway."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from culture.core.personal import mask_phone

logger = logging.getLogger("culture.sms")


class SmsBackend:
    def send(self, *, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LoggingSmsBackend(SmsBackend):
    """Writes the message to the log (the phone masked): for development and the demo."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), text)


def sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
