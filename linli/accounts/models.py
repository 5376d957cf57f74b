"""Accounts: one role per user, one or more assigned area nodes (scope grants), API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from linli.accounts.choices import Role
from linli.accounts.querysets import LinliUserManager
from linli.accounts.roles import role_has_perm


class User(AbstractUser):
    """A person who logs in. What they may do comes from `role`; where, from assignments."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.RESIDENT)
    full_name = models.CharField("姓名", max_length=64, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    resident = models.OneToOneField(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name="对应居民",
        help_text="居民账号对应的居民档案。",
    )
    #: Set when an administrator chose the password (new account, reset): until the owner picks their own,
    #: PasswordChangeRequiredMiddleware lets them reach nothing but the change page.
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)

    objects = LinliUserManager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self):
        return self.full_name or self.username

    def has_role_perm(self, perm: str) -> bool:
        return self.is_superuser or role_has_perm(self.role, perm)

    @cached_property
    def _assigned(self) -> tuple[tuple[str, int], ...]:
        return tuple((a.level, a.node_id) for a in self.assignments.all())

    def assigned_nodes(self) -> tuple[tuple[str, int], ...]:
        """(level, node id) pairs this user may see under; cached for the request."""
        return self._assigned


class AreaAssignment(models.Model):
    """A scope grant: the user sees this node and everything below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments", verbose_name="用户")
    street = models.ForeignKey("areas.Street", on_delete=models.CASCADE, null=True, blank=True, verbose_name="街道")
    community = models.ForeignKey(
        "areas.Community", on_delete=models.CASCADE, null=True, blank=True, verbose_name="社区"
    )
    grid = models.ForeignKey("areas.Grid", on_delete=models.CASCADE, null=True, blank=True, verbose_name="网格")
    building = models.ForeignKey("areas.Building", on_delete=models.CASCADE, null=True, blank=True, verbose_name="楼栋")

    class Meta:
        verbose_name = verbose_name_plural = "管辖范围"
        constraints = [
            models.CheckConstraint(
                name="assignment_exactly_one_node",
                condition=(
                    Q(street__isnull=False, community__isnull=True, grid__isnull=True, building__isnull=True)
                    | Q(street__isnull=True, community__isnull=False, grid__isnull=True, building__isnull=True)
                    | Q(street__isnull=True, community__isnull=True, grid__isnull=False, building__isnull=True)
                    | Q(street__isnull=True, community__isnull=True, grid__isnull=True, building__isnull=False)
                ),
            )
        ]

    @property
    def level(self) -> str:
        for level in ("street", "community", "grid", "building"):
            if getattr(self, f"{level}_id"):
                return level
        raise ValueError("empty assignment")

    @property
    def node_id(self) -> int:
        return getattr(self, f"{self.level}_id")

    @property
    def node(self):
        return getattr(self, self.level)

    def __str__(self):
        return str(self.node)


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its hash is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户")
    name = models.CharField("名称", max_length=64)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = verbose_name_plural = "API令牌"

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        key = "ll_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=cls.hash_key(key), prefix=key[:8])
        return token, key


User.audit_fields = ["username", "full_name", "phone", "role", "is_active"]


def _user_audit_extra(self) -> dict:
    if not self.pk:
        return {}
    return {"管辖范围": [str(a) for a in self.assignments.all()], "对应居民": str(self.resident or "")}


User.audit_extra = _user_audit_extra
