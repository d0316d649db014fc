from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationsConfig(AppConfig):
    name = "gonghui.relations"
    label = "relations"
    verbose_name = _("劳动关系")

    def ready(self) -> None:
        from gonghui.core.backoffice import (
            register_charts,
            register_nav,
            register_page,
            register_panel,
            register_section,
            register_todos,
        )
        from gonghui.core.importing.engine import register_importer

        from . import checks, metrics, paragraphs, views, workbench  # noqa: F401 - registers them
        from .importers import ContractRegisterImporter

        register_importer(ContractRegisterImporter())

        register_page("relations/expiring/", views.expiring_view, name="relations_expiring")
        register_page("relations/deadlines/", views.deadlines_view, name="relations_deadlines")
        register_page("relations/rates/", views.rates_view, name="relations_rates")
        register_page(
            "relations/enterprise/<int:pk>/", views.enterprise_view, name="relations_enterprise"
        )
        register_section("relations", _("劳动关系"), order=45)
        entries = [
            (_("集体合同"), "contract", "admin:relations_collectivecontract_changelist"),
            (_("60日内到期合同"), "event_upcoming", "admin:relations_expiring"),
            (_("期限提醒"), "alarm", "admin:relations_deadlines"),
            (_("集体协商要约"), "mail", "admin:relations_bargainingoffer_changelist"),
            (_("集中要约行动"), "campaign", "admin:relations_offercampaign_changelist"),
            (_("集体合同“三率”"), "percent", "admin:relations_rates"),
            (_("和谐指数指标体系"), "tune", "admin:relations_indicatorset_changelist"),
            (_("和谐指数测评"), "monitoring", "admin:relations_assessment_changelist"),
            (_("和谐示范点"), "verified", "admin:relations_demosite_changelist"),
            (_("企业社会责任建设"), "diversity_3", "admin:relations_csrparticipation_changelist"),
            (_("企业社会责任评定"), "grade", "admin:relations_csrrating_changelist"),
            (_("三方会议"), "groups_3", "admin:relations_tripartitemeeting_changelist"),
        ]
        for order, (title, icon, url_name) in enumerate(entries):
            register_nav("relations", title, icon=icon, url_name=url_name, order=order)
        register_todos("relations", workbench.todos)
        register_panel("organisation.enterprise", "relations", workbench.enterprise_panel)
        register_charts("relations", workbench.contract_charts)
