from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "gonghui.assistance"
    label = "assistance"
    verbose_name = _("帮扶救助")

    def ready(self) -> None:
        from gonghui.core.backoffice import (
            register_nav,
            register_panel,
            register_section,
            register_todos,
        )

        from . import (  # noqa: F401 - the report's contributions
            charts,
            checks,
            metrics,
            paragraphs,
            workbench,
        )

        register_section("assistance", _("帮扶救助"), order=40)
        for order, (title, icon, model) in enumerate(
            [
                (_("困难职工档案"), "family_restroom", "hardshipfile"),
                (_("帮扶项目"), "volunteer_activism", "programme"),
                (_("帮扶发放"), "payments", "disbursement"),
                (_("帮扶申请"), "assignment", "aidapplication"),
                (_("节前走访"), "storefront", "condolencevisit"),
                (_("发放冲正"), "undo", "disbursementreversal"),
                (_("春风行动"), "campaign", "campaign"),
                (_("春风行动捐款"), "redeem", "donation"),
                (_("捐款先进单位"), "military_tech", "donorcommendation"),
            ]
        ):
            register_nav(
                "assistance",
                title,
                icon=icon,
                url_name=f"admin:assistance_{model}_changelist",
                order=order,
            )
        register_todos("assistance", workbench.todos)
        register_panel("organisation.union", "assistance", workbench.union_panel)
