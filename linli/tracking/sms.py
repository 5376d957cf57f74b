"""Text messages (短信) through a pluggable backend.

LINLI_SMS_BACKEND is the dotted path of a class whose instances have

    send(phone: str, text: str) -> None

`phone` is a normalised mainland mobile number ("13812345678"), `text` the whole message in Chinese
(signature included). A backend raises SmsError when the gateway refuses or cannot be reached; the
caller shows the resident a Chinese message and the code is not counted as sent.

Shipped backends:
- LogBackend (the default): writes the message to the "linli.sms" log at WARNING, so it shows on the
  console of a development or demo server. `linli check --deploy` warns when production still uses it.
- LocMemBackend: keeps messages in `linli.tracking.sms.outbox` (a list of Message); for tests.

A real gateway (阿里云短信, 腾讯云短信, an operator's SMPP bridge) is a class of a few lines in the
deployment's own package that calls the vendor's SDK; the signature and template rules of the vendor
belong there, not here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from linli.core.phone import mask_phone

logger = logging.getLogger("linli.sms")

DEFAULT_BACKEND = "linli.tracking.sms.LogBackend"


class SmsError(Exception):
    """The message could not be sent (the gateway said no, or is unreachable)."""


@dataclass(frozen=True)
class Message:
    phone: str
    text: str


class BaseBackend:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LogBackend(BaseBackend):
    """Writes the message to the log instead of sending it (development, demo)."""

    def send(self, phone: str, text: str) -> None:
        # The full number is needed to read the code off the console during a demo; a production
        # deployment configures a real backend (the deploy check warns otherwise).
        logger.warning("短信（未发送，仅写入日志）→ %s：%s", phone, text)


#: Messages "sent" through LocMemBackend, oldest first. Tests clear it.
outbox: list[Message] = []


class LocMemBackend(BaseBackend):
    """Collects messages in `outbox` (tests)."""

    def send(self, phone: str, text: str) -> None:
        outbox.append(Message(phone=phone, text=text))


def get_backend() -> BaseBackend:
    return import_string(getattr(settings, "LINLI_SMS_BACKEND", DEFAULT_BACKEND))()


def send_sms(phone: str, text: str) -> None:
    """Send one message through the configured backend (SmsError when it fails)."""
    backend = get_backend()
    try:
        backend.send(phone, text)
    except SmsError:
        raise
    except Exception as exc:
        logger.exception("SMS to %s failed", mask_phone(phone))
        raise SmsError(str(exc)) from exc
