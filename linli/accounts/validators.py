import re

from django.core.exceptions import ValidationError

_CLASSES = [
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"[0-9]"), "数字"),
    (re.compile(r"[^a-zA-Z0-9]"), "符号"),
]


class CharacterClassValidator:
    """Passwords must mix several kinds of character (policy: 3 of 4)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for pattern, _ in _CLASSES if pattern.search(password))
        if found < self.min_classes:
            raise ValidationError(
                "密码至少要包含小写字母、大写字母、数字、符号中的%(n)d种。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self):
        return f"密码至少要包含小写字母、大写字母、数字、符号中的{self.min_classes}种。"


class MinimumLengthValidator:
    """Django's own message for this rule has no Chinese translation in 5.2."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                "密码太短，至少需要%(n)d个字符。", code="password_too_short", params={"n": self.min_length}
            )

    def get_help_text(self):
        return f"密码至少需要{self.min_length}个字符。"
