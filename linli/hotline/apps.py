from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "linli.hotline"
    label = "hotline"
    verbose_name = "12345转办"

    def ready(self):
        from django.db.models.signals import post_save, pre_save

        from linli.appeals.models import Appeal
        from linli.hotline import services

        # The hotline's 办理时限 caps the appeal's deadlines whatever service set them (services.cap_deadline).
        pre_save.connect(services.on_appeal_pre_save, sender=Appeal, dispatch_uid="hotline_cap_deadline")
        post_save.connect(services.on_appeal_post_save, sender=Appeal, dispatch_uid="hotline_cap_deadline_event")
