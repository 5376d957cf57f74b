from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "linli.workdays"
    verbose_name = "工作日历"

    def ready(self):
        from linli.core import versioned
        from linli.workdays import calendar
        from linli.workdays.models import HolidayOverride

        # Cache invalidation only (the audit trail is written by the services): any save or delete of
        # an override, from a service, the shell or a fixture, makes every process reload the table.
        versioned.bump_on_change(calendar.OVERRIDES.bump, HolidayOverride, uid="workdays_overrides")
