from enum import StrEnum


class ReportError(StrEnum):
    ALREADY_FINAL = "already_final"
    PERIOD_NOT_OVER = "period_not_over"
    FINDINGS_NOT_ACKNOWLEDGED = "findings_not_acknowledged"
    NOTE_REQUIRED = "note_required"
    UNKNOWN_PARAGRAPH = "unknown_paragraph"
    TEXT_TOO_LONG = "text_too_long"
    PDF_UNAVAILABLE = "pdf_unavailable"
