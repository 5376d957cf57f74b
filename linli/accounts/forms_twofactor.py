"""The forms of two-step login (linli.accounts.views_twofactor)."""

from django import forms

from linli.core.forms import LinliForm


class CodeForm(LinliForm):
    """A code from the authenticator app (6 digits) or, at login, a recovery code."""

    code = forms.CharField(
        label="验证码",
        max_length=32,
        strip=True,
        error_messages={"required": "请输入验证器上的6位数字。"},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "class": "twofactor-code",
                "autofocus": True,
            }
        ),
    )


class RecoveryCodeForm(LinliForm):
    code = forms.CharField(
        label="恢复码",
        max_length=32,
        strip=True,
        error_messages={"required": "请输入一个恢复码（如 abcd-efgh）。"},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false", "class": "twofactor-code"}
        ),
    )
