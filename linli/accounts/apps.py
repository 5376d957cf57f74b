from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    """Users, roles, area assignments (scope grants), login security."""

    name = "linli.accounts"
    verbose_name = "账号"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from linli.accounts import tokens
        from linli.accounts.lockout import check_lockout_settings
        from linli.accounts.models import ApiToken, AreaAssignment, User
        from linli.accounts.twofactor import check_enforced
        from linli.core import versioned

        checks.register(check_lockout_settings, checks.Tags.security)
        checks.register(check_enforced, checks.Tags.security, deploy=True)

        for model in (ApiToken, User, AreaAssignment):
            uid = f"accounts_live_tokens_{model.__name__}"
            post_save.connect(tokens.on_account_changed, sender=model, dispatch_uid=uid + "_saved")
            post_delete.connect(tokens.on_account_changed, sender=model, dispatch_uid=uid + "_deleted")
        # writes that send no signal (a purge of users, bulk assignments): versioned.touched(model)
        versioned.watch(tokens.LIVE.bump, ApiToken, User, AreaAssignment)
