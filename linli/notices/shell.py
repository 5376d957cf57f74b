"""The notices' parts of the site shell: each part of the app registers its own (confirmations and the 今日走访
section in shell_confirm, the print and public pages' panel in shell_public)."""

from linli.notices import shell_confirm, shell_public  # noqa: F401
