"""API tokens get an expiry and a scope (issue 13, finding 6).

Tokens that exist already get 90 days from this migration and stay 读写 (read-write): they were made
when every token could write, and an integration that registers residents or appeals would otherwise
start failing without warning; the expiry makes every such token come back for review within 90 days,
and the manager's token page shows them. They get masked phones (personal_data off) like every new
token: full phones in bulk are what the finding was about, and a masked phone breaks no write.
Revoked tokens get the migration time as their revocation time.
"""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def give_existing_tokens_an_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = datetime.datetime.now(datetime.UTC)
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=now + datetime.timedelta(days=90), scope="write")
    ApiToken.objects.filter(revoked=True, revoked_at__isnull=True).update(revoked_at=now, revoked_reason="升级前已作废")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_manager"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="有效期至"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="personal_data",
            field=models.BooleanField(
                default=False,
                help_text="勾选后，角色本身可以查看完整电话和敏感标签时，令牌也返回它们；否则电话遮蔽、敏感标签不列出。",
                verbose_name="完整电话和敏感标签",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="作废时间"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="作废人",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(blank=True, max_length=100, verbose_name="作废原因"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "只读"), ("write", "读写")], default="read", max_length=8, verbose_name="权限"
            ),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="生成时间"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="last_used_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最近使用"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="revoked",
            field=models.BooleanField(default=False, verbose_name="已作废"),
        ),
        migrations.RunPython(give_existing_tokens_an_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="有效期至"),
        ),
    ]
