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

        from django.db.models.signals import post_delete, post_save

        from linli.appeals import catalogue
        from linli.appeals.models import Category
        from linli.core import versioned

        # Cache invalidation only (the directory's services write the change records): any save or delete of a
        # category, from a service, the shell or a fixture, makes every process reload the active categories.
        post_save.connect(catalogue.on_category_changed, sender=Category, dispatch_uid="appeal_category_saved")
        post_delete.connect(catalogue.on_category_changed, sender=Category, dispatch_uid="appeal_category_deleted")
        versioned.watch(catalogue.TABLE.bump, Category)  # bulk writes, migrations: versioned.touched(Category)
