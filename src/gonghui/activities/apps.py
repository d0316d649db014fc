from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "gonghui.activities"
    label = "activities"
    verbose_name = _("活动与报名")

    def ready(self) -> None:
        from gonghui.core.backoffice import (
            register_nav,
            register_panel,
            register_section,
            register_todos,
        )

        from . import (  # noqa: F401 - the report's contributions
            charts,
            metrics,
            paragraphs,
            workbench,
        )

        register_section("activities", _("活动与服务"), order=60)
        for order, (title, icon, model) in enumerate(
            [
                (_("活动"), "event", "activity"),
                (_("报名与签到"), "how_to_reg", "registration"),
                (_("咨询登记"), "support_agent", "consultation"),
            ]
        ):
            register_nav(
                "activities",
                title,
                icon=icon,
                url_name=f"admin:activities_{model}_changelist",
                order=order,
            )
        register_todos("activities", workbench.todos)
        register_panel("organisation.union", "activities", workbench.union_panel)
