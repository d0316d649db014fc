"""The back office of assistance, one module per sub-domain; importing this package
registers every ModelAdmin (Django's admin autodiscovery imports it).

Every write is a service call (add forms are ServiceForms; state changes are detail actions
through ``service_form_view``); paid disbursements, reversals and donations are read-only.
Lists hide hardship and medical details; documents, medical details and bank accounts are
revealed only through ``core.reveal`` (reason asked, each reveal logged).

- :mod:`.hardship`: hardship files; :mod:`.programmes`: aid programmes;
- :mod:`.disbursements`: disbursements, the bank payment list, reversals, benefits page;
- :mod:`.visits`: festival visits; :mod:`.applications`: workers' applications;
- :mod:`.campaigns`: the Spring Breeze Action, donations and commendations;
- :mod:`.common`: shared pieces; :mod:`.reveals`: the document and medical-details pages.
"""

from . import applications, campaigns, disbursements, hardship, programmes, visits

__all__ = ["applications", "campaigns", "disbursements", "hardship", "programmes", "visits"]
