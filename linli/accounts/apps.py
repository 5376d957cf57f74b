from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    """Users, roles, area assignments (scope grants), login security."""

    name = "linli.accounts"
    verbose_name = "账号"

    def ready(self):
        from linli.accounts import tokens
        from linli.accounts.lockout import check_lockout_settings
        from linli.accounts.models import ApiToken, AreaAssignment, User
        from linli.accounts.twofactor import check_enforced
        from linli.core import versioned

        checks.register(check_lockout_settings, checks.Tags.security)
        checks.register(check_enforced, checks.Tags.security, deploy=True)

        # a saved or deleted token, user or assignment, or one written without a signal (a purge of users)
        versioned.bump_on_change(
            tokens.LIVE.bump,
            ApiToken,
            User,
            AreaAssignment,
            uid="accounts_live_tokens",
            receiver=tokens.on_account_changed,
        )
