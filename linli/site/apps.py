from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SiteConfig(AppConfig):
    """The shell that gathers the apps: home page, menu, help page and the demo builder (linli.core.shell)."""

    name = "linli.site"
    label = "site"
    verbose_name = "站点"

    def ready(self):
        # Each app's linli/<app>/shell.py registers its menu entries, home blocks and demo step.
        autodiscover_modules("shell")
        # The figures, reports and exports whose GETs may read from a read replica (linli.core.dbrouter).
        from linli.site import replica

        replica.register()
