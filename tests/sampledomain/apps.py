from django.apps import AppConfig


class SampleDomainConfig(AppConfig):
    """Worker libraries' book loans: a tiny domain that registers itself with core."""

    name = "tests.sampledomain"
    label = "sampledomain"
    verbose_name = "职工书屋（测试）"

    def ready(self) -> None:
        from gonghui.core.backoffice import (
            register_cards,
            register_nav,
            register_page,
            register_section,
            register_todos,
        )

        from . import metrics, views, workbench  # noqa: F401 - registers the figure

        register_page("loans/overdue/", views.overdue_view, name="sampledomain_overdue")
        register_section("sampledomain", "职工书屋", order=80)
        register_nav(
            "sampledomain",
            "借阅记录",
            icon="menu_book",
            url_name="admin:sampledomain_loan_changelist",
        )
        register_nav(
            "sampledomain", "逾期未还", icon="alarm", url_name="admin:sampledomain_overdue"
        )
        register_todos("sampledomain", workbench.todos)
        register_cards("sampledomain", workbench.cards)

        from gonghui.core.importing.engine import register_importer

        from .importers import LoanListImporter

        register_importer(LoanListImporter())
