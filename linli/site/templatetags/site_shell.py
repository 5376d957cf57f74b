from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def home_block(context, item):
    """Render a home block (linli.site.home.Shown) in the page's context plus the block's own."""
    block_template = context.template.engine.get_template(item.template)
    with context.push(item.context):
        return block_template.render(context)
