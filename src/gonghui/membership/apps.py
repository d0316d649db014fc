from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "gonghui.membership"
    label = "membership"
    verbose_name = _("会员管理")

    def ready(self) -> None:
        from gonghui.core import housekeeping

        from . import tasks

        housekeeping.daily(tasks.purge_import_files)
