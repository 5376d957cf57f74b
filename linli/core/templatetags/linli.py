from django import template

register = template.Library()


@register.filter
def change_value(value):
    """A value from a ChangeRecord as a person reads it."""
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if value is True:
        return "是"
    if value is False:
        return "否"
    return value


@register.filter
def actor_label(value):
    """A command's actor label as a person reads it (“linli demo” of older records → “演示数据”)."""
    from linli.core.labels import command_label

    return command_label(value or "")
