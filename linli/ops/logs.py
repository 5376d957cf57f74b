"""Structured request logs and the redaction of personal numbers from every log record.

RequestLogMiddleware writes ONE record per request on the logger "linli.request" (a JSON line when
LINLI_LOG_FORMAT=json, the default in production): method, route name, status, duration_ms, user_id,
request_id, client_ip. It never logs the path's query string (searches carry names and phone numbers)
and never queries the database: the user id comes from what the request has already loaded.

RedactFilter removes Chinese ID numbers and mobile numbers from a record's message, its arguments, its
extra fields, its exception text and its stack text, whichever logger wrote it. settings.LOGGING puts it
on every handler it declares, and `install_redaction()` (run when the middleware starts) adds it to every
handler configured elsewhere (Django's default handlers on the "django" loggers).
"""

from __future__ import annotations

import base64
import logging
import os
import re
import time

from celery import signals as celery_signals
from django.http import HttpRequest
from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from linli.core.net import client_ip

request_logger = logging.getLogger("linli.request")

#: 18-digit ID numbers (last character may be X), also written in groups 6-8-4; 15-digit (first generation).
ID_NUMBER = re.compile(r"(?<![0-9])(?:\d{6}[ -]?\d{8}[ -]?\d{3}[0-9Xx]|\d{15})(?![0-9])")
#: Mainland mobile numbers 1[3-9]xxxxxxxxx, with or without +86/0086 and spaces or dashes between digits.
MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)86[ -]?)?1[3-9](?:[ -]?\d){9}(?![0-9])")
ID_MASK = "[身份证号已隐去]"
MOBILE_MASK = "[手机号已隐去]"

#: X-Request-ID accepted from the proxy: letters, digits and - _ . : only, up to 128 characters.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

#: Paths of the probes and the scrape: a load balancer asks every few seconds; only failures are logged.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})

_STANDARD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


def redact(text: str) -> str:
    """The text with every ID number and mobile number replaced by a Chinese placeholder."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    return MOBILE.sub(MOBILE_MASK, ID_NUMBER.sub(ID_MASK, text))


def _redact_value(value):
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        text = str(value)
        redacted = redact(text)
        return value if redacted == text else redacted
    if isinstance(value, dict):
        return {_redact_value(k): _redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_redact_value(v) for v in value]
    if isinstance(value, HttpRequest):
        # django.request passes the request as an extra field; its repr holds the query string.
        return f"{value.method} {value.path}"
    text = str(value)
    redacted = redact(text)
    return value if redacted == text else redacted


class RedactFilter(logging.Filter):
    """Replaces ID numbers and mobile numbers in everything a handler would write. Never drops a record.

    The message is formatted here (msg % args) and the result redacted, so a number split across
    arguments or hidden in an object's str() is caught too. The traceback is formatted here into exc_text,
    redacted, which every logging.Formatter prints instead of formatting exc_info again; JsonFormatter
    (below), which formats exc_info itself, redacts its own output. The record is changed in place, so
    every later handler sees the redacted version too.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what we can, redacted piece by piece
            record.msg = _redact_value(record.msg)
            if isinstance(record.args, dict):
                record.args = _redact_value(record.args)
            elif record.args:
                record.args = tuple(_redact_value(a) for a in record.args)
        else:
            record.msg = redact(message)
            record.args = None
        if record.exc_info and not record.exc_text:
            # logging.Formatter prints exc_text when set; exc_info stays for handlers that want the exception
            # object (JsonFormatter below redacts what it formats from it).
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                record.__dict__[key] = _redact_value(value)
        return True


def install_redaction() -> None:
    """Adds a RedactFilter to every handler that exists now and has none (e.g. Django's default ones)."""
    for ref in list(logging._handlerList):  # noqa: SLF001 - the logging module keeps no public list
        handler = ref() if callable(ref) else ref
        if handler is not None and not any(isinstance(f, RedactFilter) for f in handler.filters):
            handler.addFilter(RedactFilter())


@celery_signals.setup_logging.connect(weak=False)
def _keep_linli_logging(loglevel=None, **kwargs):
    """A Celery worker keeps settings.LOGGING (JSON lines, redaction) instead of installing its own handlers.

    This module is imported while Django configures logging (settings.LOGGING names its classes), so the
    receiver exists before the worker sets its logging up. The worker's --loglevel still applies to
    Celery's own loggers.
    """
    if loglevel:
        logging.getLogger("celery").setLevel(loglevel)
    install_redaction()


def new_request_id() -> str:
    """24 characters of base32 (a-z, 2-7): no 0, 1, 8 or 9, so no id can look like a phone or ID number and be
    masked in the log (a uuid4 in hex would be: 507 in 100,000 were)."""
    return base64.b32encode(os.urandom(15)).decode().lower()


def _user_id(request) -> int | None:
    """The acting user's id from what the request already loaded; never a query of its own."""
    user = getattr(request, "auth_user", None)
    if user is None:
        user = request.__dict__.get("user")
        wrapped = getattr(user, "_wrapped", None)
        if wrapped is empty:  # request.user never evaluated: finding it would cost a query
            return None
        if wrapped is not None:
            user = wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class RequestLogMiddleware:
    """One log record per request; the request id is taken from X-Request-ID or made, and echoed back."""

    def __init__(self, get_response):
        self.get_response = get_response
        install_redaction()

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if REQUEST_ID.match(incoming) else new_request_id()
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        if request_logger.isEnabledFor(logging.INFO) and not (
            request.path_info in QUIET_PATHS and response.status_code < 400
        ):
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            match = getattr(request, "resolver_match", None)
            route = match.view_name if match is not None and match.view_name else "-"
            request_logger.info(
                "%s %s %s %.1fms",
                request.method,
                route,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                    "request_id": request.request_id,
                    "client_ip": client_ip(request),
                },
            )
        return response


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter; it formats tracebacks from exc_info itself, so it redacts them too."""

    def formatException(self, ei):  # noqa: N802 - logging's name
        return redact(super().formatException(ei))

    def formatStack(self, stack_info):  # noqa: N802 - logging's name
        return redact(super().formatStack(stack_info))
