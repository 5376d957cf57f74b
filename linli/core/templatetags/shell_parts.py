"""{% shell_part part context %}: render a part an app registered (linli.core.shell: a resident panel, a
building panel, a self block) inside the page, with the page's context plus the part's own."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def shell_part(context, part, part_context):
    part_template = context.template.engine.get_template(part.template)
    with context.push(part_context):
        return part_template.render(context)
