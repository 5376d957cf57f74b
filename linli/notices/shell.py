"""The notices' parts of the site shell. (This branch: only the print and public pages' panel; the notices pages'
shell.py keeps this import at its end.)"""

from linli.notices import shell_public  # noqa: F401
