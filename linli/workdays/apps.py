from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "linli.workdays"
    verbose_name = "工作日历"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from linli.core import versioned
        from linli.workdays import calendar
        from linli.workdays.models import HolidayOverride

        # Cache invalidation only (the audit trail is written by the services): any save or delete of
        # an override, from a service, the shell or a fixture, makes every process reload the table.
        post_save.connect(calendar.on_override_changed, sender=HolidayOverride, dispatch_uid="workdays_saved")
        post_delete.connect(calendar.on_override_changed, sender=HolidayOverride, dispatch_uid="workdays_deleted")
        versioned.watch(calendar.OVERRIDES.bump, HolidayOverride)  # writes that send no signal: versioned.touched
