from enum import StrEnum


class MembershipError(StrEnum):
    INVALID_RIC = "invalid_ric"
    INVALID_MOBILE = "invalid_mobile"
    DUPLICATE_PERSON = "duplicate_person"
    ALREADY_MEMBER = "already_member"
    NOT_OPEN = "not_open"
    BAD_DATES = "bad_dates"
    FUTURE_DATE = "future_date"
    SAME_UNION = "same_union"
    UNION_INACTIVE = "union_inactive"
    NAME_REQUIRED = "name_required"
    REASON_REQUIRED = "reason_required"
    BAD_REASON = "bad_reason"
    NOT_EDITABLE = "not_editable"
