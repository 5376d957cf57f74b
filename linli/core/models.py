"""Cross-cutting records: the change log of registry data."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Source(models.TextChoices):
    WEB = "web", "网页"
    API = "api", "接口"
    CLI = "cli", "命令行"
    IMPORT = "import", "导入"
    SYSTEM = "system", "系统"


class ChangeAction(models.TextChoices):
    CREATE = "create", "新建"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"


class ChangeRecord(models.Model):
    """One create/update/delete of registry data: who, when, from where, before and after.

    Written by the services (not by signals) so that commands, imports and bulk updates
    record their changes too. Sensitive values are stored masked, never in clear.
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作人", max_length=64, blank=True, help_text="命令行或系统操作的说明")
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.WEB)
    action = models.CharField("操作", max_length=10, choices=ChangeAction.choices)
    # PROTECT: removing a model's content type must not silently take its change log with it.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    object_repr = models.CharField("对象", max_length=200)
    changes = models.JSONField("变更内容", default=dict, help_text="{字段: [修改前, 修改后]}")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "变更记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="change_object_idx")]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def actor_name(self) -> str:
        from linli.core.labels import command_label

        if self.actor_id:
            return str(self.actor)
        return command_label(self.actor_label) or self.get_source_display()

    @property
    def shown_changes(self) -> list[tuple[str, list]]:
        """The changes as a person reads them: field names as their labels, codes as their choices' labels
        (older records, and fields without choices that hold a code, such as a rule's activity type)."""
        from linli.core.labels import label_of

        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        fields = {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")} if model else {}
        shown = []
        for key, pair in self.changes.items():
            field = fields.get(key)
            name = str(field.verbose_name) if field is not None else key
            choices = dict(field.flatchoices) if field is not None and getattr(field, "choices", None) else None
            shown.append((name, [label_of(v, choices) for v in pair]))
        return shown
