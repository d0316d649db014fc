"""Every write of assistance, one module per sub-domain; the public services are importable
from here (``services.disbursement_pay(...)``), which is where callers look.

- :mod:`.hardship`: hardship files, household members, yearly reviews, leaving the file;
- :mod:`.documents`: uploads checked and stored privately; opening one (a logged reveal);
- :mod:`.programmes`: aid programmes, their budgets and rules;
- :mod:`.eligibility`: a programme's rules checked for a person or family;
- :mod:`.disbursements`: propose, approve, pay, reject, cancel, reverse; the reveals of
  medical details and payee accounts;
- :mod:`.visits`: festival condolence visits;
- :mod:`.applications`: workers' applications from the portal and the cadre's decision;
- :mod:`.campaigns`: the Spring Breeze Action, donations, receipts, commendations.

Every service is keyword-only, takes the acting user, runs in one transaction and records
an audit entry in it; a refusal is a ``DomainError`` with an ``AssistanceError`` code.
"""

from gonghui.core.errors import DomainError

from .applications import application_decide, application_submit, application_withdraw
from .campaigns import (
    campaign_commend_top_donors,
    campaign_create,
    donation_record,
    donation_void,
    donor_unit_totals,
)
from .disbursements import (
    disbursement_approve,
    disbursement_cancel,
    disbursement_pay,
    disbursement_propose,
    disbursement_reject,
    disbursement_reverse,
    disbursement_run_many,
    medical_details_reveal,
    payee_account_reveal,
    payee_accounts_reveal,
)
from .documents import MAX_UPLOAD_BYTES, check_upload, document_open, hardship_document_add
from .hardship import (
    HARDSHIP_EDITABLE,
    hardship_file_create,
    hardship_file_leave,
    hardship_file_update,
    hardship_member_add,
    hardship_review,
    one_year_after,
)
from .programmes import PROGRAMME_FIELDS, programme_covers, programme_create, programme_update
from .visits import visit_record

__all__ = [
    "HARDSHIP_EDITABLE",
    "MAX_UPLOAD_BYTES",
    "PROGRAMME_FIELDS",
    "DomainError",
    "application_decide",
    "application_submit",
    "application_withdraw",
    "campaign_commend_top_donors",
    "campaign_create",
    "check_upload",
    "disbursement_approve",
    "disbursement_cancel",
    "disbursement_pay",
    "disbursement_propose",
    "disbursement_reject",
    "disbursement_reverse",
    "disbursement_run_many",
    "document_open",
    "donation_record",
    "donation_void",
    "donor_unit_totals",
    "hardship_document_add",
    "hardship_file_create",
    "hardship_file_leave",
    "hardship_file_update",
    "hardship_member_add",
    "hardship_review",
    "medical_details_reveal",
    "one_year_after",
    "payee_account_reveal",
    "payee_accounts_reveal",
    "programme_covers",
    "programme_create",
    "programme_update",
    "visit_record",
]
