from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "gonghui.honours"
    label = "honours"
    verbose_name = _("荣誉")

    def ready(self) -> None:
        from gonghui.core.backoffice import register_nav, register_panel, register_section

        from . import (
            metrics,  # noqa: F401 - registers the honours figures
            paragraphs,  # noqa: F401 - the report's draft paragraphs
        )
        from .workbench import enterprise_panel

        register_section("honours", _("荣誉"), order=50)
        register_nav(
            "honours", _("荣誉"), icon="military_tech", url_name="admin:honours_honour_changelist"
        )
        register_panel("organisation.enterprise", "honours", enterprise_panel)
