"""人民调解 in the menu, on the home page, on a resident's page and in the demo, and its export kind
(linli.core.shell, linli.core.excel.exports)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.deliberation.panels import matter_panel, public_section
from linli.mediation import demo, home, panels, services
from linli.mediation.choices import ExportKind
from linli.mediation.figures import public_figures

shell.menu_group("人民调解", order=47)
shell.menu_entry("人民调解", "mediation:case_list", "调解案件", order=10, visible=services.may_list_cases)
shell.menu_entry(
    "人民调解", "mediation:reception_list", "顺顺吧接待", order=20, visible=shell.perm("mediation.receive")
)
shell.menu_entry("人民调解", "mediation:figures", "调解统计", order=30, visible=shell.perm("mediation.view"))
shell.menu_entry(
    "人民调解", "mediation:mediator_list", "调解员和调解室", order=40, visible=shell.perm("mediation.view")
)

shell.home_block(
    "mediation.today",
    "mediation/_home_today.html",
    order=330,
    context=home.staff_today,
    visible=lambda user: user.has_role_perm("mediation.receive") or services.is_mediator(user),
)

# Who may see a resident's cases is decided per case by CaseQuerySet (supervisors, mediators, the referrer).
shell.resident_panel(
    "mediation.cases",
    "mediation/_resident_panel.html",
    order=60,
    context=home.resident_cases,
    visible=lambda user: user.has_role_perm("mediation.view") or services.is_mediator(user),
)

shell.demo_step("mediation", demo.demo_step, order=75)

register_export_kinds(ExportKind)

# A matter that turned into a quarrel between residents: one step into a case (linli.deliberation.panels).
matter_panel("mediation.case", "mediation/_matter_panel.html", order=80, context=panels.matter_case)
# The community's public board (公示栏, no login): this year's anonymous counts by type and outcome.
public_section("mediation.figures", "mediation/_public_section.html", order=80, context=public_figures)

from linli.mediation import dashfigures  # noqa: E402,F401  (its dashboard figures register on import)
