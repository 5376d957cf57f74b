from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "linli.core"

    def ready(self):
        # Each app plugs into the shared layer from its own shell.py (its export kinds, ...): import them all once,
        # before any request, so that core's registries are full without core naming an app.
        autodiscover_modules("shell")
