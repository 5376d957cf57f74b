"""社区证明: certificates the community issues from its templates, each with a number of the community's register.

Numbers run per community and year without gaps: 青和居证〔2026〕0001号, 0002号 … A counter row per community
and year (linli.core.numbering, series "certificates:<community id>") holds the last serial; issuing locks that row
(select_for_update) and takes the next one in the same
transaction that saves the certificate, so a failed issue takes no number and two issues at once take two. A number
is never reused: a void certificate stays in the register as 作废, a reissue takes a new number and names the one it
replaces. The unique constraint (community, year, serial) is the database's last word.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from linli.areas.models import StreetOfCommunity
from linli.certificates import querysets
from linli.certificates.choices import CertificateKind, CertificateStatus

USER = settings.AUTH_USER_MODEL


class CertificateTemplate(models.Model):
    """A kind of certificate a community issues: its title and its wording, a Django template fragment over the
    resident's registry fields ({{ name }}, {{ id_masked }} … see linli.certificates.wording). With no community it
    is the street's default for all its communities."""

    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", verbose_name="街道")
    community = models.ForeignKey(
        "areas.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="社区",
        help_text="不选则为全街道通用模板。",
    )
    kind = models.CharField("证明类型", max_length=16, choices=CertificateKind.choices)
    title = models.CharField("标题", max_length=40, help_text="印在证明上方，如“居住证明”。")
    body = models.TextField(
        "正文",
        help_text="可用字段：{{ name }} 姓名、{{ gender }} 性别、{{ birth_date }} 出生日期、{{ id_number }} 身份证号码"
        "（按开具人权限显示全号或掩码）、{{ id_masked }} 身份证号码（掩码）、{{ address }} 住址、{{ household }} 户主、"
        "{{ relation }} 与户主关系、{{ members }} 家庭成员、{{ community }} 社区、{{ purpose }} 用途、"
        "{{ note }} 核实说明。",
    )
    default_purpose = models.CharField("默认用途", max_length=100, blank=True, help_text="如“办理入学手续”。")
    reveals_id = models.BooleanField(
        "可显示完整身份证号",
        default=False,
        help_text="开具人有查看完整身份证号的权限时印全号（查看会被记录），否则印掩码。",
    )
    needs_note = models.BooleanField("须填写核实说明", default=False, help_text="困难情况证明须写明核实经过。")
    valid_days = models.PositiveSmallIntegerField("有效天数", default=90, help_text="0 表示长期有效。")
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = querysets.CertificateTemplateQuerySet.as_manager()

    audit_fields = [
        "street", "community", "kind", "title", "body", "default_purpose", "reveals_id", "needs_note", "valid_days",
        "is_active",
    ]  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "证明模板"
        ordering = ["street_id", "community_id", "kind", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("certificates:template_edit", args=[self.pk])

    @property
    def scope_label(self) -> str:
        return self.community.name if self.community_id else "全街道通用"


class Certificate(StreetOfCommunity, models.Model):
    """One issued certificate: its number in the register, whom and what it certifies, and its PDF (a private file,
    served only by the permission-checked download view)."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    template = models.ForeignKey(
        CertificateTemplate, on_delete=models.PROTECT, related_name="certificates", verbose_name="模板"
    )
    kind = models.CharField("证明类型", max_length=16, choices=CertificateKind.choices)
    title = models.CharField("标题", max_length=40)
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="certificates", verbose_name="居民"
    )
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    #: Unique within the community (its serial is); two communities of the same short name may share a text.
    number = models.CharField("编号", max_length=40, db_index=True)
    #: The code printed under the QR code: with the number it opens the public check page.
    check_code = models.CharField("核验码", max_length=8)
    purpose = models.CharField("用途", max_length=100)
    note = models.TextField("核实说明", blank=True)
    #: The wording as printed (the template may change later; the register keeps what was issued).
    text = models.TextField("证明内容")
    issued_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="开具人"
    )
    issued_by_label = models.CharField("开具人", max_length=64, blank=True)
    issued_at = models.DateTimeField("开具时间")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    status = models.CharField("状态", max_length=8, choices=CertificateStatus.choices, default=CertificateStatus.VALID)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    voided_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="作废人"
    )
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by", verbose_name="替换"
    )
    pdf = models.FileField("PDF", upload_to="certificates/%Y/", blank=True)

    objects = querysets.CertificateQuerySet.as_manager()

    audit_fields = ["number", "template", "resident", "purpose", "status", "void_reason", "valid_until", "replaces"]

    class Meta:
        verbose_name = verbose_name_plural = "社区证明"
        ordering = ["community_id", "-year", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year", "serial"], name="cert_unique_serial"),
        ]
        indexes = [
            models.Index(fields=["street", "year"], name="cert_street_year_idx"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("certificates:certificate_detail", args=[self.pk])

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID
