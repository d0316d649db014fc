from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gonghui.reports"
    label = "reports"
    verbose_name = _("统计报表")

    def ready(self) -> None:
        from gonghui.core.backoffice import register_nav, register_page

        from .views import annual_report_view, metric_drilldown_view

        register_page("report/", annual_report_view, name="annual_report")
        register_page("report/<str:metric_id>/", metric_drilldown_view, name="metric_drilldown")
        register_nav(
            "workbench",
            _("年度工作报告数据"),
            icon="analytics",
            url_name="admin:annual_report",
            order=30,
        )
