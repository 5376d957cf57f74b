from django.apps import AppConfig
from django.core import checks


class TrackingConfig(AppConfig):
    """居民自助: residents submit appeals from a phone page and follow them with a tracking code (issue 6 §5)."""

    name = "linli.tracking"
    verbose_name = "居民自助"

    def ready(self):
        checks.register(check_sms_backend, checks.Tags.security, deploy=True)


def check_sms_backend(app_configs=None, **kwargs):
    """In production the log backend would put one-time codes into the log instead of texting them."""
    from django.conf import settings

    from linli.tracking import sms

    errors = []
    try:
        backend = sms.get_backend()
    except Exception as exc:  # a typo in LINLI_SMS_BACKEND must not wait for the first resident
        return [checks.Error(f"LINLI_SMS_BACKEND cannot be loaded: {exc}", id="linli.tracking.E001")]
    # The in-memory backend (tests) sends nothing either: a code would sit in a list in one process.
    if getattr(settings, "PRODUCTION", False) and isinstance(backend, (sms.LogBackend, sms.LocMemBackend)):
        errors.append(
            checks.Warning(
                f"LINLI_SMS_BACKEND is {type(backend).__name__}: verification codes are not texted to anyone.",
                hint="Set LINLI_SMS_BACKEND to a backend class with send(phone, text) for your SMS gateway.",
                id="linli.tracking.W001",
            )
        )
    return errors
