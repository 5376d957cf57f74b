"""The forms of two-step login (linli.accounts.views_twofactor): one code box each, built by code_field."""

from django import forms

from linli.core.forms import LinliForm


def code_field(label: str, required_message: str, **attrs) -> forms.CharField:
    """A code box: up to 32 characters, spaces stripped, no autocapitalisation or spelling fixes (a code is not a
    word), the code style; `attrs` add the box's own input hints."""
    return forms.CharField(
        label=label,
        max_length=32,
        strip=True,
        error_messages={"required": required_message},
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "spellcheck": "false", "class": "twofactor-code", **attrs}
        ),
    )


class CodeForm(LinliForm):
    """A code from the authenticator app (6 digits) or, at login, a recovery code."""

    code = code_field(
        "验证码", "请输入验证器上的6位数字。", inputmode="numeric", autocomplete="one-time-code", autofocus=True
    )


class RecoveryCodeForm(LinliForm):
    """A recovery code (abcd-efgh), typed when the authenticator app is lost."""

    code = code_field("恢复码", "请输入一个恢复码（如 abcd-efgh）。", autocomplete="off")
