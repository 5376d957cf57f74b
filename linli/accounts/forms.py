from django import forms
from django.contrib.auth.forms import AuthenticationForm

from linli.accounts.choices import Role
from linli.accounts.roles import GRANTABLE_ROLES
from linli.areas.models import Building, Community, Grid, Street
from linli.core.forms import FriendlyFormMixin, IdMultipleChoiceField, LinliForm
from linli.core.phone import PhoneError, normalize_phone


class LoginForm(FriendlyFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。同一账号在这台设备上连续输错5次，将锁定30分钟。",
        "inactive": "该账号已停用，请联系管理员。",
    }


NODE_FIELDS = (
    ("streets", Street, "街道"),
    ("communities", Community, "社区"),
    ("grids", Grid, "网格"),
    ("buildings", Building, "楼栋"),
)


#: Fields other apps add to the account form without accounts importing them (linli.appeals adds 承办机构):
#: objects with contribute(form, manager, instance), adding fields, and save(form, account, actor), called in the
#: transaction that saved the account.
FORM_EXTENSIONS: list = []


class UserForm(LinliForm):
    """Create or edit an account: role and the area nodes it may see."""

    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[a-zA-Z0-9_.@+-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 _ . @ + -"},
    )
    full_name = forms.CharField(label="姓名", max_length=64)
    phone = forms.CharField(
        label="手机号",
        max_length=20,
        required=False,
        help_text="手机号11位，以13–19开头；也可填座机，如 027-87654321。",
    )
    role = forms.ChoiceField(label="角色", choices=Role.choices, initial=Role.GRID_WORKER)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        help_text="至少10位，包含小写字母、大写字母、数字、符号中的3种。",
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, manager, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        if not manager.is_superuser:
            allowed = GRANTABLE_ROLES.get(manager.role, ())
            self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in allowed]
        for name, model, label in NODE_FIELDS:
            qs = model.objects.restrict(manager, "manage")
            if name in ("grids", "buildings"):
                qs = qs.select_related("community")
            if not qs.exists():
                continue  # a level the manager has nothing of is not offered at all
            self.fields[name] = IdMultipleChoiceField(
                label=f"管辖{label}",
                queryset=qs,
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 5}),
                help_text="可多选（电脑上按住 Ctrl 点选）。",
            )
            if name in ("grids", "buildings"):
                self.fields[name].label_from_instance = lambda obj: f"{obj.community.name} {obj.name}"
        if instance is not None:
            self.fields["username"].disabled = True
            del self.fields["password"]
            for name, model, _ in NODE_FIELDS:
                level = model.__name__.lower()
                self.initial[name] = [
                    getattr(a, f"{level}_id") for a in instance.assignments.all() if getattr(a, f"{level}_id")
                ]
            self.initial.update(
                username=instance.username,
                full_name=instance.full_name,
                phone=instance.phone,
                role=instance.role,
                is_active=instance.is_active,
            )
        else:
            self.fields["password"].required = True
        for extension in FORM_EXTENSIONS:
            extension.contribute(self, manager, instance)

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data.get("phone") or "")
        except PhoneError as exc:
            raise forms.ValidationError(f"{exc}（手机号如 13812345678，座机如 027-87654321）。") from exc

    def save_extensions(self, account, actor) -> None:
        for extension in FORM_EXTENSIONS:
            extension.save(self, account, actor)

    def nodes(self):
        return [node for name, _, _ in NODE_FIELDS for node in self.cleaned_data.get(name, [])]


class PasswordResetForm(LinliForm):
    password = forms.CharField(
        label="新密码", widget=forms.PasswordInput, help_text="至少10位，包含小写字母、大写字母、数字、符号中的3种。"
    )


PASSWORD_HELP = "至少10位，包含小写字母、大写字母、数字、符号中的3种。"


class OwnPasswordChangeForm(LinliForm):
    """修改密码: the old password, the new one twice (the policy is applied by the service)."""

    old_password = forms.CharField(
        label="原密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )
    new_password2 = forms.CharField(
        label="再输入一次新密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password2") and data["new_password1"] != data["new_password2"]:
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


class UnlockRequestForm(LinliForm):
    username = forms.CharField(label="用户名", max_length=150)


class UnlockCodeForm(LinliForm):
    code = forms.CharField(
        label="短信验证码",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
