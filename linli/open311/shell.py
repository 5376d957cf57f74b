"""Open311 keys in the menu (linli.core.shell)."""

from linli.core import shell

shell.menu_entry("管理", "open311:apikey_list", "Open311密钥", order=60, visible=shell.perm("appeal.supervise"))
