from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    """Users, roles, area assignments (scope grants), login security."""

    name = "linli.accounts"
    verbose_name = "账号"

    def ready(self):
        from linli.accounts.lockout import check_lockout_settings
        from linli.accounts.twofactor import check_enforced

        checks.register(check_lockout_settings, checks.Tags.security)
        checks.register(check_enforced, checks.Tags.security, deploy=True)
