"""`linli twofactor-reset USERNAME`: remove an account's authenticator and recovery codes (a lost phone), for the
server's operator when no manager can (the superuser's own account, the last street administrator). Recorded as
done by the command; the owner is told in their inbox and sets up a new authenticator at the next login."""

from django.core.management.base import BaseCommand, CommandError

from linli.accounts import twofactor
from linli.accounts.models import User
from linli.core.audit import Actor


class Command(BaseCommand):
    help = "重置一个账号的两步验证（手机丢失时）：验证器和恢复码作废，对方下次登录时重新设置。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="要重置两步验证的用户名")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为“{username}”的账号。")
        if twofactor.reset(user, actor=Actor.cli("linli twofactor-reset")):
            self.stdout.write(f"已重置“{username}”的两步验证：验证器和恢复码已作废，下次登录时须重新设置。")
        else:
            self.stdout.write(f"“{username}”没有设置两步验证，无需重置。")
