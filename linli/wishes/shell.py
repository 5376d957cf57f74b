"""Micro-wishes in the menu, on the home page and in the demo, and its export kinds
(linli.core.shell, linli.core.excel.exports)."""

from linli.core import shell
from linli.core.excel.exports import register_export_kinds
from linli.residents.home import is_a_resident, works_in_the_registry
from linli.wishes import demo, home, home_resident
from linli.wishes.choices import ExportKind

shell.menu_group("微心愿", order=60)
shell.menu_entry("微心愿", "wishes:wish_list", "微心愿", order=10, visible=shell.perm("wish.view"))
shell.menu_entry("微心愿", "wishes:claimer_list", "心愿认领人", order=20, visible=shell.perm("wish.manage"))
shell.menu_entry("微心愿", "wishes:wish_report", "心愿统计", order=30, visible=shell.perm("wish.manage"))
shell.menu_entry("微心愿", "wishes:donation_stock", "爱心衣物", order=40, visible=shell.perm("donation.view"))

shell.home_block(
    "wishes.my_claims", "wishes/_home_claims.html", order=620, context=home.my_claims, visible=shell.perm("wish.claim")
)
# A claimer (no registry) reads how many wishes wait; staff see the figures in 志愿和爱心.
shell.home_block(
    "wishes.open",
    "wishes/_home_open.html",
    order=630,
    context=home.open_wishes,
    visible=lambda user: user.has_role_perm("wish.view") and not works_in_the_registry(user),
)
shell.home_block(
    "wishes.figures",
    "wishes/_home_figures.html",
    order=20,
    section="engagement",
    figures=True,
    context=home.wish_counts,
    visible=lambda user: user.has_role_perm("wish.view") and works_in_the_registry(user),
)

shell.demo_step("wishes", demo.demo_step, order=60, reset=demo.forget_orphan_photos)

register_export_kinds(ExportKind)
from linli.wishes import dashfigures  # noqa: E402,F401  (its dashboard figures register on import)

# The residents' Linli (居民端): 我家的微心愿 (a tile and its one-screen list).
shell.self_tile("wishes.household", "我家的微心愿", order=55, context=home_resident.wishes_tile, visible=is_a_resident)
shell.self_block(
    "wishes.household",
    "wishes/_self_wishes.html",
    order=70,
    context=home_resident.household_wishes,
    visible=is_a_resident,
)
shell.demo_step("wishes.household", home_resident.demo_step, order=61, after=("wishes",))
