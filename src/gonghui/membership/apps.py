from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "gonghui.membership"
    label = "membership"
    verbose_name = _("会员管理")

    def ready(self) -> None:
        from gonghui.core.backoffice import (
            register_cards,
            register_nav,
            register_panel,
            register_section,
            register_todos,
            register_union_counter,
        )

        from . import charts, checks, metrics, paragraphs, workbench  # noqa: F401 - registers the membership figures  # noqa: F401 - the report's contributions
        from .selectors import member_counts_within

        register_union_counter(
            "members",
            _("会员"),
            lambda actor, on, within: member_counts_within(actor=actor, on=on, within=within),
        )

        register_section("membership", _("会员管理"), order=30)
        for order, (title, icon, model) in enumerate(
            [
                (_("人员"), "person", "person"),
                (_("会籍"), "card_membership", "membership"),
                (_("入会申请"), "how_to_reg", "membershipapplication"),
            ]
        ):
            register_nav(
                "membership",
                title,
                icon=icon,
                url_name=f"admin:membership_{model}_changelist",
                order=order,
            )
        register_cards("membership", workbench.cards)
        register_todos("membership", workbench.todos)

        from gonghui.core.importing.engine import register_importer

        from .importers import RosterImporter

        register_importer(RosterImporter())
        register_panel("organisation.union", "membership", workbench.union_panel)
