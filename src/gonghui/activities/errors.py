from enum import StrEnum


class ActivityError(StrEnum):
    BAD_DATES = "bad_dates"
    BAD_STATE = "bad_state"
    NOT_OPEN = "not_open"
    NOT_ELIGIBLE = "not_eligible"
    DUPLICATE = "duplicate"
    NO_REGISTRATION = "no_registration"
    CAPACITY_BELOW_TAKEN = "capacity_below_taken"
    FULL = "full"
    REASON_REQUIRED = "reason_required"
    CHILD_REQUIRED = "child_required"
    BAD_CARD = "bad_card"
    NOT_REGISTERED = "not_registered"
    ALREADY_CHECKED_IN = "already_checked_in"
    TOO_EARLY = "too_early"
    NOT_A_SERVICE_DAY = "not_a_service_day"
    NOT_EDITABLE = "not_editable"
