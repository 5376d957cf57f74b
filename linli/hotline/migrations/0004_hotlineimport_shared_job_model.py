"""HotlineImport becomes a linli.core.jobs.BaseImportJob, like the ledger's ImportJob.

The status values stay as they are: the hotline's five (uploaded, validated, committing, done, failed) are among the
shared enum's eight with the same labels, so no row changes. The commit's claim time (claimed_at) becomes the job's
lease stamp (heartbeat_at) before the column goes; runs are numbered from 0 (attempt).
"""

from django.db import migrations, models

import linli.core.jobs


def claim_to_heartbeat(apps, schema_editor):
    HotlineImport = apps.get_model("hotline", "HotlineImport")
    HotlineImport.objects.filter(claimed_at__isnull=False).update(heartbeat_at=models.F("claimed_at"))


def heartbeat_to_claim(apps, schema_editor):
    HotlineImport = apps.get_model("hotline", "HotlineImport")
    HotlineImport.objects.filter(status="committing").update(claimed_at=models.F("heartbeat_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0003_import_preview_claimed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="hotlineimport",
            name="attempt",
            field=models.PositiveIntegerField(default=0, verbose_name="运行次数"),
        ),
        migrations.AddField(
            model_name="hotlineimport",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最近活动"),
        ),
        migrations.AddField(
            model_name="hotlineimport",
            name="progress_done",
            field=models.PositiveIntegerField(default=0, verbose_name="已处理行数"),
        ),
        migrations.AddField(
            model_name="hotlineimport",
            name="progress_total",
            field=models.PositiveIntegerField(default=0, verbose_name="总行数"),
        ),
        migrations.RunPython(claim_to_heartbeat, heartbeat_to_claim),
        migrations.RemoveField(
            model_name="hotlineimport",
            name="claimed_at",
        ),
        migrations.AlterField(
            model_name="hotlineimport",
            name="file",
            field=models.FileField(blank=True, upload_to=linli.core.jobs.upload_to, verbose_name="文件"),
        ),
        migrations.AlterField(
            model_name="hotlineimport",
            name="status",
            field=models.CharField(
                choices=[
                    ("uploaded", "已上传"),
                    ("validating", "正在检查"),
                    ("validated", "已检查"),
                    ("committing", "正在导入"),
                    ("done", "已导入"),
                    ("failed", "失败"),
                    ("cancelled", "已取消"),
                    ("expired", "文件已删除"),
                ],
                default="uploaded",
                max_length=12,
                verbose_name="状态",
            ),
        ),
    ]
