"""The `linli` command: django-admin with Linli's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["linli", *sys.argv[1:]])


if __name__ == "__main__":
    main()
