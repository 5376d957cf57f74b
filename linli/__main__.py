"""The `linli` command: django-admin with Linli's settings."""

import os
import sys

# Commands whose documented name has a dash, which a Python module name cannot have.
DASHED_COMMANDS = {
    "import-residents": "import_residents",
    "visits-sweep": "visits_sweep",
    "appeals-overdue": "appeals_overdue",
    "route-train": "route_train",
    "import-hotline": "import_hotline",
    "export-hotline": "export_hotline",
    "open311-key": "open311_key",
    "wishes-remind": "wishes_remind",
    "matters-remind": "matters_remind",
    "mediation-remind": "mediation_remind",
    "sweep-imports": "sweep_imports",
    "votes-close-due": "votes_close_due",
    "notices-remind": "notices_remind",
    "channels-send": "channels_send",
    "party-remind": "party_remind",
    "prod-env": "prod_env",
    "purge-records": "purge_records",
    "media-check": "media_check",
    "twofactor-reset": "twofactor_reset",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    from django.core.management import execute_from_command_line

    argv = sys.argv[1:]
    if argv and argv[0] == "serve" and not {"-h", "--help"} & set(argv):
        # Before Django is set up: settings refuse missing keys with a traceback; this names every problem at once.
        from linli.ops.production import check_production_config, format_problems

        problems = check_production_config(os.environ)
        if problems:
            print(format_problems(problems), file=sys.stderr)
            sys.exit(2)
    if argv:
        argv[0] = DASHED_COMMANDS.get(argv[0], argv[0])
        if argv[0] == "help" and len(argv) > 1:
            argv[1] = DASHED_COMMANDS.get(argv[1], argv[1])
    execute_from_command_line(["linli", *argv])


if __name__ == "__main__":
    main()
