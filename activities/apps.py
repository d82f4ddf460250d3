"""The app's configuration: on start, the model signals are connected to
activities/changes.py (through activities/signals.py), the history of activities
registered with django-reversion (activities/review.py) and the deployment checks
registered; and django-axes is named in the staff's language."""

from __future__ import annotations

from axes import apps as axes_apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("International activities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from activities import checks, review, signals  # noqa: F401 -- checks registers itself

        signals.connect()
        review.register_history()
        post_migrate.connect(signals.on_post_migrate, sender=self)


class LoginThrottleConfig(axes_apps.AppConfig):
    """django-axes (the staff login's throttle), named in the admin in the staff's
    language: it names itself "Axes". Listed in INSTALLED_APPS in its place."""

    # Not this module's own app, which is ActivitiesConfig.
    default = False
    verbose_name = _("Sign-in throttling")
