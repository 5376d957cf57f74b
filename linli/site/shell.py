"""The home page's shared sections; the apps put their blocks in them (linli.core.shell)."""

from linli.core import shell

# 志愿和爱心: one row of figures (deeds, redemptions, wishes) and the coming activities.
shell.home_section("engagement", "site/_home_section_engagement.html", order=700)
