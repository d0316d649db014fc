from enum import StrEnum


class RelationsError(StrEnum):
    CALENDAR_YEAR = "calendar_year"
    BAD_DATES = "bad_dates"
    BAD_STATE = "bad_state"
    UNION_KIND = "union_kind"
    ENTERPRISE_REQUIRED = "enterprise_required"
    ENTERPRISE_OUT_OF_SCOPE = "enterprise_out_of_scope"
    OVERLAP = "overlap"
    VOTE_QUORUM = "vote_quorum"
    VOTE_MAJORITY = "vote_majority"
    VOTE_NUMBERS = "vote_numbers"
    TOO_EARLY = "too_early"
    RENEWAL = "renewal"
    ALREADY_RENEWED = "already_renewed"
    WEIGHTS = "weights"
    SET_IN_USE = "set_in_use"
    SET_OWNER = "set_owner"
    DUPLICATE = "duplicate"
    SCORES = "scores"
    REASON_REQUIRED = "reason_required"
