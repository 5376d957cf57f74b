import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "linli.core"

    def ready(self):
        from django.core import checks

        from linli.core.scaleout import check_shared_state

        # Shared state for several workers and machines (issue 20): only with `check --deploy`.
        checks.register(check_shared_state, checks.Tags.caches, deploy=True)
        # The media storage's deploy checks (registered when the module is imported).
        from linli.core import storage  # noqa: F401

        # A migration writes without signals (historical models): every cached choice may be stale once it ran.
        post_migrate.connect(_migrated, sender=self, dispatch_uid="linli.versioned.touched_all")


def _migrated(**kwargs) -> None:
    from linli.core import versioned

    try:
        versioned.touched_all()
    except Exception:  # a migrate where the cache is not reachable (a build step): entries expire on their own
        logging.getLogger(__name__).warning("cached choices not bumped after migrate", exc_info=True)
