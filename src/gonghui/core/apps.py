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
        from .backoffice import register_nav, register_section, register_todos
        from .importing import workbench

        converters.register()  # before any URLconf is loaded
        unavailable.connect()  # notes a lost database on the request for its middleware

        register_section("workbench", _("工作台"), order=10)
        register_section("system", _("系统与审计"), order=90)
        register_nav("workbench", _("工作台"), icon="dashboard", url_name="admin:index", order=10)
        # Every domain's importers are reached from one page (the upload offers them all).
        register_nav(
            "workbench",
            _("数据导入"),
            icon="upload_file",
            url_name="admin:core_importbatch_changelist",
            order=30,
        )
        from . import housekeeping
        from .importing import tasks

        housekeeping.daily(tasks.purge_import_files)
        register_todos("imports", workbench.todos)

        register_nav(
            "system", _("审计记录"), icon="history", url_name="admin:core_auditentry_changelist"
        )
        register_nav(
            "system",
            _("个人信息查看记录"),
            icon="visibility",
            url_name="admin:core_piiaccesslog_changelist",
        )
