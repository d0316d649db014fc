from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gonghui.accounts"
    label = "accounts"
    verbose_name = _("账号与权限")

    def ready(self) -> None:
        from gonghui.core.backoffice import register_nav, superuser
        from gonghui.core.scope import set_grant_reader

        from .grants import grants_of

        set_grant_reader(grants_of)
        register_nav(
            "system",
            _("账号"),
            icon="manage_accounts",
            url_name="admin:accounts_user_changelist",
            order=200,
            permission=superuser,
        )
