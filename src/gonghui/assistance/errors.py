from enum import StrEnum


class AssistanceError(StrEnum):
    NOT_FOUND = "not_found"
    BAD_AMOUNT = "bad_amount"
    OVER_CAP = "over_cap"
    OVER_BUDGET = "over_budget"
    BAD_PERIOD = "bad_period"
    BAD_STATE = "bad_state"
    SAME_PERSON = "same_person"
    DUPLICATE = "duplicate"
    NOT_ELIGIBLE = "not_eligible"
    OUT_OF_PROGRAMME = "out_of_programme"
    REASON_REQUIRED = "reason_required"
    BAD_DATES = "bad_dates"
    ALREADY_ON_FILE = "already_on_file"
    NOT_ON_FILE = "not_on_file"
    BAD_FILE = "bad_file"
    NO_PERSON = "no_person"
    NOT_OPEN = "not_open"
    BAD_HOUSEHOLD = "bad_household"
    BAD_DONOR = "bad_donor"
    ALREADY_COMMENDED = "already_commended"
