"""Accounts: one role per user, one or more assigned area nodes (scope grants), API tokens."""

import datetime
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from linli.accounts.choices import Role, TokenScope
from linli.accounts.querysets import LinliUserManager
from linli.accounts.roles import role_has_perm
from linli.core import pagecache


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
    #: The area that owns the account when it holds no assignment and is no resident's (a handler, a volunteer,
    #: an account whose grids were all taken away): its managers keep seeing it (UserQuerySet.restrict).
    #: Set from the account's own nodes on every save, and from the creating manager's area when it has none.
    owner_street = models.ForeignKey(
        "areas.Street", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="所属街道"
    )
    owner_community = models.ForeignKey(
        "areas.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属社区",
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
        def read():
            return tuple((a.level, a.node_id) for a in self.assignments.all())

        if self.pk is None or "assignments" in getattr(self, "_prefetched_objects_cache", {}):
            return read()
        return pagecache.for_user("assigned_nodes", self, (), read)

    def assigned_nodes(self) -> tuple[tuple[str, int], ...]:
        """(level, node id) pairs this user may see under: kept for the request, and in the shared cache until an
        assignment of the user changes (linli.core.pagecache.for_user; AreaAssignment's signals below)."""
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


def _assignments_changed(sender, instance, **kwargs):
    pagecache.bump(pagecache.user_group(instance.user_id))


models.signals.post_save.connect(_assignments_changed, sender=AreaAssignment, dispatch_uid="linli.assigned.save")
models.signals.post_delete.connect(_assignments_changed, sender=AreaAssignment, dispatch_uid="linli.assigned.delete")

#: How long a new token lives, as the token page offers it (days, label); the first is the default.
TOKEN_LIFETIMES = ((90, "90天"), (30, "30天"), (180, "180天"), (365, "1年"))
DEFAULT_TOKEN_DAYS = TOKEN_LIFETIMES[0][0]


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its hash is stored; the key is shown once.

    A token acts as its user (role and scope) and never beyond that, narrowed further by the token:
    it expires (`expires_at`), is read-only unless made 读写 (`scope`), and returns masked phones and no
    sensitive tags unless `personal_data` was chosen (and the role may see them anyway). It is revoked,
    with a reason, by its user, by a manager of the account, or when the password is reset or the
    account deactivated (linli.accounts.tokens).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户")
    name = models.CharField("名称", max_length=64)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    scope = models.CharField("权限", max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    personal_data = models.BooleanField(
        "完整电话和敏感标签",
        default=False,
        help_text="勾选后，角色本身可以查看完整电话和敏感标签时，令牌也返回它们；否则电话遮蔽、敏感标签不列出。",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    expires_at = models.DateTimeField("有效期至")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked = models.BooleanField("已作废", default=False)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)
    revoked_reason = models.CharField("作废原因", max_length=100, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="作废人"
    )

    audit_fields = ["name", "scope", "personal_data", "expires_at", "revoked", "revoked_reason"]

    class Meta:
        verbose_name = verbose_name_plural = "API令牌"

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        """有效 / 已过期 / 已作废, as the token pages show it."""
        if self.revoked:
            return "已作废"
        return "已过期" if self.expired else "有效"

    @property
    def writable(self) -> bool:
        return self.scope == TokenScope.WRITE

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(
        cls,
        user,
        name: str,
        *,
        days: int = DEFAULT_TOKEN_DAYS,
        scope: str = TokenScope.READ,
        personal_data: bool = False,
    ) -> tuple["ApiToken", str]:
        """A new token and its key (the key is not stored: show it once). Read-only and 90 days unless asked."""
        key = "ll_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=cls.hash_key(key),
            prefix=key[:8],
            scope=scope,
            personal_data=personal_data,
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
        return token, key


User.audit_fields = ["username", "full_name", "phone", "role", "is_active"]


def _user_audit_extra(self) -> dict:
    if not self.pk:
        return {}
    return {
        "管辖范围": [str(a) for a in self.assignments.all()],
        "对应居民": str(self.resident or ""),
        # who keeps an account placed nowhere (linli.accounts.querysets.UserQuerySet.restrict)
        "所属": str(self.owner_community or self.owner_street or ""),
    }


User.audit_extra = _user_audit_extra
