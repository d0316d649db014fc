from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gonghui.core"
    label = "core"
    verbose_name = _("系统与审计")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
        from .converters import register

        register()  # before any URLconf is loaded
