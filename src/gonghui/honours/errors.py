from enum import StrEnum


class HonourError(StrEnum):
    RECIPIENT_REQUIRED = "recipient_required"
    RECIPIENT_AMBIGUOUS = "recipient_ambiguous"
    RECIPIENT_KIND = "recipient_kind"
    RECIPIENT_OUT_OF_SCOPE = "recipient_out_of_scope"
    DUPLICATE = "duplicate"
    BAD_YEAR = "bad_year"
    BAD_DATES = "bad_dates"
    ALREADY_REVOKED = "already_revoked"
    REASON_REQUIRED = "reason_required"
