"""The assistance models, one module per sub-domain; every model is importable from here
(``gonghui.assistance.models.Disbursement``), which is where migrations and callers look.

- :mod:`.hardship`: hardship files, household members, yearly reviews;
- :mod:`.documents`: supporting documents of a file or an application;
- :mod:`.programmes`: aid programmes, disbursements and their reversals;
- :mod:`.visits`: festival condolence visits;
- :mod:`.applications`: workers' applications from the portal;
- :mod:`.campaigns`: the Spring Breeze Action, donations and commended donors.
"""

from .applications import AidApplication, ApplicationStatus
from .campaigns import UNIT_DONOR_KINDS, Campaign, Donation, DonorCommendation, DonorKind
from .documents import AidDocument, DocumentKind, document_path
from .hardship import (
    CAUSES,
    HardshipFile,
    HardshipReview,
    HouseholdMember,
    LeaveReason,
    Relation,
    ReviewOutcome,
)
from .programmes import (
    COMMITTED_STATES,
    LIVE_STATES,
    Disbursement,
    DisbursementReversal,
    DisbursementState,
    PaymentMethod,
    Programme,
    ProgrammeKind,
    RecipientKind,
)
from .visits import CondolenceVisit

__all__ = [
    "CAUSES",
    "COMMITTED_STATES",
    "LIVE_STATES",
    "UNIT_DONOR_KINDS",
    "AidApplication",
    "AidDocument",
    "ApplicationStatus",
    "Campaign",
    "CondolenceVisit",
    "Disbursement",
    "DisbursementReversal",
    "DisbursementState",
    "DocumentKind",
    "Donation",
    "DonorCommendation",
    "DonorKind",
    "HardshipFile",
    "HardshipReview",
    "HouseholdMember",
    "LeaveReason",
    "PaymentMethod",
    "Programme",
    "ProgrammeKind",
    "RecipientKind",
    "Relation",
    "ReviewOutcome",
    "document_path",
]
