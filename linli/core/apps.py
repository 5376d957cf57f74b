from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "linli.core"

    def ready(self):
        from django.core import checks

        from linli.core.scaleout import check_shared_state

        # Shared state for several workers and machines (issue 20): only with `check --deploy`.
        checks.register(check_shared_state, checks.Tags.caches, deploy=True)
        # The media storage's deploy checks (registered when the module is imported).
        from linli.core import storage  # noqa: F401
