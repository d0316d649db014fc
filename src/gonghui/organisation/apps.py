from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "gonghui.organisation"
    label = "organisation"
    verbose_name = _("工会组织")
