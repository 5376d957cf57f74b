"""Ledger (台账) imports: the jobs users run (the export log is linli.core.models.ExportRecord)."""

from django.db import models
from django.urls import reverse

from linli.areas.scope import COMMUNITY_SCOPE
from linli.core.jobs import BaseImportJob
from linli.core.querysets import ScopedQuerySet


class ImportJobQuerySet(ScopedQuerySet):
    """Imports of communities in the user's scope (a whole community: grid workers do not import)."""

    perm_subject = "ledger"
    scope_paths = COMMUNITY_SCOPE


class ImportJob(BaseImportJob):
    """One uploaded ledger on its way into the registry: preview, mapping, dry run, commit (linli.core.jobs).

    A run (check or commit) runs in a worker (linli.ledgers.tasks) that renews the lease as it goes. The file holds
    ID numbers in clear: it is deleted after the commit, on cancel, or after LINLI_IMPORT_FILE_HOURS without use
    (linli.ledgers.services.sweep_import_files).
    """

    community = models.ForeignKey("areas.Community", on_delete=models.CASCADE, related_name="+", verbose_name="社区")

    upload_dir = "imports"

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "台账导入"
        ordering = ["-created_at"]

    def get_absolute_url(self):
        return reverse("ledgers:import_detail", args=[self.pk])
