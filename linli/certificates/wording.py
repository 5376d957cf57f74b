"""A template's wording: a Django template fragment rendered over plain strings of the resident's registry data.

The fragment runs in an engine of its own with no template directories (no {% include %} or {% extends %} reaches a
file) and sees strings and lists only, never a model (no attribute path leads from {{ name }} to other data).
"""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.urls import NoReverseMatch

#: The fields a wording may use, with their Chinese names (the template form's help and the preview's sample).
FIELDS = {
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "id_number": "身份证号码",
    "id_masked": "身份证号码（掩码）",
    "address": "住址",
    "household": "户主",
    "relation": "与户主关系",
    "members": "家庭成员",
    "community": "社区",
    "street": "街道",
    "purpose": "用途",
    "note": "核实说明",
}

SAMPLE = {
    "name": "张三",
    "gender": "男",
    "birth_date": "1960年5月1日",
    "id_number": "110101********1234",
    "id_masked": "110101********1234",
    "address": "青和居社区1栋2单元502",
    "household": "张三",
    "relation": "户主",
    "members": "张三（户主）、李梅（配偶）",
    "community": "青和居社区",
    "street": "青和街道",
    "purpose": "办理入学手续",
    "note": "",
}


#: Tags a wording may not use: they reach files, other libraries, URLs or the context's internals.
FORBIDDEN_TAGS = frozenset({"include", "extends", "block", "load", "debug", "ssi", "url", "csrf_token", "static"})


@functools.cache
def engine() -> Engine:
    return Engine(dirs=[], app_dirs=False, autoescape=True, debug=False)


def check(body: str) -> None:
    """A ValidationError in Chinese for a wording that does not parse or uses a forbidden tag."""
    for token in Lexer(body).tokenize():
        words = token.split_contents() if token.token_type == TokenType.BLOCK else []
        if words and words[0] in FORBIDDEN_TAGS:
            raise ValidationError({"body": f"正文不能使用 {{% {words[0]} %}} 标签。"})
    try:
        engine().from_string(body)
    except TemplateSyntaxError as exc:
        raise ValidationError({"body": f"正文的模板写法有误：{exc}"}) from exc


def render(body: str, data: dict) -> str:
    """The wording filled in, as plain text (paragraphs separated by blank lines)."""
    check(body)
    try:
        text = engine().from_string(body).render(Context(data, autoescape=False))
    except (TemplateDoesNotExist, NoReverseMatch) as exc:
        raise ValidationError({"body": f"正文的模板无法生成：{exc}"}) from exc
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def date_text(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def resident_data(resident, *, id_number: str = "") -> dict:
    """The registry fields of `resident` as strings (`id_number`: the full number when the issuer may print it)."""
    from linli.residents.choices import ResidentStatus

    household = resident.household
    people = [p for p in household.residents.all() if p.status == ResidentStatus.ACTIVE]
    head = next((p for p in people if p.relation == "head"), None)
    return {
        "name": resident.name,
        "gender": resident.get_sex_display(),
        "birth_date": date_text(resident.birth_date),
        "id_number": id_number or resident.id_masked,
        "id_masked": resident.id_masked,
        "address": f"{resident.community.name}{household.address}",
        "household": head.name if head else "",
        "relation": resident.get_relation_display(),
        "members": "、".join(f"{p.name}（{p.get_relation_display()}）" for p in people),
        "community": resident.community.name,
        "street": resident.street.name,
    }
