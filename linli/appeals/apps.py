from django.apps import AppConfig


class AppealsConfig(AppConfig):
    """诉求: appeals, their handling units, organisations and deadlines."""

    name = "linli.appeals"
    verbose_name = "诉求"

    def ready(self):
        from linli.accounts.forms import FORM_EXTENSIONS
        from linli.appeals.account_form import HandlerOrganisationsField

        if not any(isinstance(ext, HandlerOrganisationsField) for ext in FORM_EXTENSIONS):
            FORM_EXTENSIONS.append(HandlerOrganisationsField())

        from linli.appeals import catalogue
        from linli.appeals.models import Category
        from linli.core import versioned

        # Cache invalidation only (the directory's services write the change records): any save or delete of a
        # category, from a service, the shell, a fixture or a bulk write, makes every process reload the active
        # categories.
        versioned.bump_on_change(catalogue.TABLE.bump, Category, uid="appeal_category")
