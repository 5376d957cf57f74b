"""A resident's home page links to 有事向社区反映 and the lookup of what they reported (linli.core.shell)."""

from linli.core import shell
from linli.residents.home import is_a_resident
from linli.tracking import demo, home

# The residents' Linli (居民端): 我要反映 and 我的诉求 with their replies; an elder's appeals for a family helper.
shell.self_tile("tracking.report", "我要反映", order=10, context=home.report_tile, visible=is_a_resident)
shell.self_tile("tracking.my_appeals", "我的诉求", order=20, context=home.my_appeals_tile, visible=is_a_resident)
shell.self_block(
    "tracking.my_appeals", "tracking/_self_appeals.html", order=5, context=home.my_appeals, visible=is_a_resident
)
shell.family_block("tracking.elder_appeals", "tracking/_self_appeals.html", order=20, context=home.elder_appeals)
# 陈奶奶's own appeals in the demo (after the appeals' history exists).
shell.demo_step("tracking.resident", demo.demo_step, order=90, after=("appeals",))
