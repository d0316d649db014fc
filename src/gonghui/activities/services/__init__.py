"""Every write to activities, registrations and consultations, by sub-domain: the activity's
life (``lifecycle``), registrations (``registration``) and what happens at the door
(``attendance``). Callers import from here: ``from gonghui.activities import services``."""

from ._common import ACTIVITY_EDITABLE
from .attendance import checkin, checkin_by_card, consultation_record, record_no_shows
from .lifecycle import (
    activity_cancel,
    activity_close,
    activity_copy,
    activity_create,
    activity_publish,
    activity_update,
    lottery_order,
)
from .registration import (
    REGISTER_BY_VENDOR,
    _is_duplicate,
    _register_in_one_statement,
    eligibility_problem,
    on_hardship_file,
    registration_cancel,
    registration_change,
    registration_create,
    registration_open,
)

__all__ = [
    "ACTIVITY_EDITABLE",
    "REGISTER_BY_VENDOR",
    "_is_duplicate",
    "_register_in_one_statement",
    "activity_cancel",
    "activity_close",
    "activity_copy",
    "activity_create",
    "activity_publish",
    "activity_update",
    "checkin",
    "checkin_by_card",
    "consultation_record",
    "eligibility_problem",
    "lottery_order",
    "on_hardship_file",
    "record_no_shows",
    "registration_cancel",
    "registration_change",
    "registration_create",
    "registration_open",
]
