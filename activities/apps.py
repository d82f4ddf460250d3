from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("International activities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from activities import checks, signals  # noqa: F401 -- checks registers itself

        signals.connect()
        post_migrate.connect(signals.on_post_migrate, sender=self)
