"""功能室 in the menu, on the home page and in the demo (linli.core.shell)."""

from linli.core import shell

shell.menu_group("场所与服务", order=50)
