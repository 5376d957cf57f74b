"""afterschool in the menu, on the home page and in the demo (linli.core.shell)."""

from linli.core import shell  # noqa: F401
