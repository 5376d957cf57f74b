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
