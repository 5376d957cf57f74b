from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "linli.core"

    def ready(self):
        # The media storage's deploy checks (registered when the module is imported).
        from linli.core import storage  # noqa: F401
