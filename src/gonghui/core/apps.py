from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gonghui.core"
    label = "core"
    verbose_name = _("系统与审计")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 - registers the system checks
            converters,
            unavailable,
        )

        converters.register()  # before any URLconf is loaded
        unavailable.connect()  # notes a lost database on the request for its middleware
