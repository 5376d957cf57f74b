"""专项工作 in the menu, on 今日走访 (each active campaign's open targets in the user's scope), its export kind and
its demo step (linli.core.shell, linli.core.excel.exports)."""

from linli.campaigns import demo, progress
from linli.campaigns.choices import ExportKind
from linli.core import shell
from linli.core.excel.exports import register_export_kinds

shell.menu_entry("走访", "campaigns:campaign_list", "专项工作", order=15, visible=shell.perm("campaign.view"))

shell.worklist_part(
    "campaigns.open",
    "campaigns/_worklist_campaigns.html",
    order=20,
    context=progress.worklist_context,
    visible=shell.perm("campaign.record"),
)

shell.demo_step("campaigns", demo.build_demo_campaign, order=66, after=("visits",))

register_export_kinds(ExportKind)

from linli.campaigns import dashfigures  # noqa: E402,F401  (its dashboard figures register on import)
