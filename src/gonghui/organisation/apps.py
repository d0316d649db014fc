from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "gonghui.organisation"
    label = "organisation"
    verbose_name = _("工会组织")

    def ready(self) -> None:
        from gonghui.core.backoffice import (
            register_cards,
            register_nav,
            register_page,
            register_panel,
            register_section,
            register_union_counter,
        )

        from . import charts, checks, metrics, paragraphs, workbench  # noqa: F401 - registers the organisation figures  # noqa: F401 - the report's contributions
        from .admin_views import union_tree_children_view, union_tree_view
        from .selectors import covered_counts_within

        register_union_counter(
            "covered",
            _("覆盖企业"),
            lambda actor, on, within: covered_counts_within(actor=actor, on=on, within=within),
            rolls_up=False,
        )

        register_page("tree/", union_tree_view, name="union_tree")
        register_page(
            "tree/<id:pk>/children/", union_tree_children_view, name="union_tree_children"
        )
        register_nav(
            "workbench", _("工会组织树"), icon="account_tree", url_name="admin:union_tree", order=20
        )
        register_section("organisation", _("工会组织"), order=20)
        for order, (title, icon, model) in enumerate(
            [
                (_("工会组织"), "groups", "union"),
                (_("企业"), "factory", "enterprise"),
                (_("工会覆盖企业"), "link", "coverage"),
                (_("工会干部"), "badge", "cadre"),
            ]
        ):
            register_nav(
                "organisation",
                title,
                icon=icon,
                url_name=f"admin:organisation_{model}_changelist",
                order=order,
            )
        register_cards("organisation", workbench.cards)

        from gonghui.core.importing.engine import register_importer

        from .importers import EnterpriseListImporter, UnionListImporter

        register_importer(EnterpriseListImporter())
        register_importer(UnionListImporter())
        register_panel("organisation.union", "organisation", workbench.union_panel)
