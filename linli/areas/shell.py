"""The area tree in the menu (linli.core.shell)."""

from linli.core import shell

shell.menu_entry("居民", "areas:area_tree", "区域与楼栋", order=20, visible=shell.perm("area.view"))
