from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gonghui.reports"
    label = "reports"
    verbose_name = _("统计报表")

    def ready(self) -> None:
        from collections.abc import Callable

        from django.http import HttpResponse

        from gonghui.core.backoffice import register_nav, register_page, register_panel

        from . import dashboard, dashboard_views, draft_views, export_views, release_views, views

        # The fixed routes first: "report/<metric_id>/" would take any of them.
        routes: list[tuple[str, Callable[..., HttpResponse], str]] = [
            ("report/", views.annual_report_view, "annual_report"),
            ("report/pdf/", export_views.report_pdf_view, "report_pdf"),
            ("report/draft/", draft_views.report_draft_view, "report_draft"),
            ("report/draft/save/", draft_views.paragraph_save_view, "report_paragraph_save"),
            ("report/dashboard/", dashboard_views.leaders_dashboard_view, "leaders_dashboard"),
            ("report/finalise/", release_views.report_finalise_view, "report_finalise"),
            ("report/changes/", release_views.report_changes_view, "report_changes"),
            (
                "report/changes/<str:metric_id>/",
                release_views.report_changed_records_view,
                "report_changed_records",
            ),
            ("report/checks/<str:check_id>/", views.check_records_view, "report_check_records"),
            ("report/<str:metric_id>/", views.metric_drilldown_view, "metric_drilldown"),
        ]
        for route, view, name in routes:
            register_page(route, view, name=name)
        register_nav(
            "workbench",
            _("年度工作报告数据"),
            icon="analytics",
            url_name="admin:annual_report",
            order=30,
        )
        register_nav(
            "workbench",
            _("工作报告文稿"),
            icon="description",
            url_name="admin:report_draft",
            order=31,
        )
        register_nav(
            "workbench",
            _("管理可视化"),
            icon="monitoring",
            url_name="admin:leaders_dashboard",
            order=32,
        )
        register_panel("organisation.union", "reports", dashboard.union_report_panel)
