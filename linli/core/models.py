"""Cross-cutting records: the change log of registry data and the export log of personal data."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models

from linli.core.excel.exports import export_kind_label, filters_text
from linli.core.querysets import ScopedQuerySet


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


class ExportRecordQuerySet(ScopedQuerySet):
    """Exports by the accounts a manager may see (export.log): those assigned inside the manager's area."""

    perm_subject = "export"
    scope_joins_many = True

    @property
    def scope_paths(self) -> dict[str, tuple[str, ...]]:
        """The user model's own scope paths, through `user` (core names no app: the model is the swappable one)."""
        users = get_user_model()._default_manager.get_queryset()
        return {
            level: tuple(f"user__{path}" for path in ((paths,) if isinstance(paths, str) else paths))
            for level, paths in users.scope_paths.items()
        }


class ExportRecord(models.Model):
    """Each export of personal data: who, when, what (a registered export kind), what filter, how many rows.

    Written by linli.core.excel.exports.record_export only. The table keeps the name it had in the ledgers app.
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="导出人"
    )
    kind = models.CharField("类型", max_length=20)
    filters = models.JSONField("筛选条件", default=dict)
    row_count = models.PositiveIntegerField("行数", default=0)
    masked = models.BooleanField("身份证号码已遮蔽", default=True)

    objects = ExportRecordQuerySet.as_manager()

    class Meta:
        db_table = "ledgers_exportrecord"
        verbose_name = verbose_name_plural = "导出记录"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.kind_label} {self.row_count}行"

    @property
    def kind_label(self) -> str:
        """What was exported, in the words the exporting app registered (the code of an unregistered kind)."""
        return export_kind_label(self.kind)

    @property
    def filters_text(self) -> str:
        """The filters in words: 社区：东一社区；开始日期：2025-06-01."""
        return filters_text(self.kind, self.filters)


class DocumentCounter(models.Model):
    """The last number a series of documents took in a year (linli.core.numbering): one row per series key
    ("workreports:c12", "mediation:5", "certificates:5") and year — the row that numbering locks."""

    key = models.CharField("编号序列", max_length=64)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "文书编号"
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="core_document_counter_unique")]

    def __str__(self):
        return f"{self.key} {self.year}: {self.last}"
