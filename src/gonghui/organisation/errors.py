from enum import StrEnum


class OrganisationError(StrEnum):
    PARENT_REQUIRED = "parent_required"
    PARENT_DISSOLVED = "parent_dissolved"
    BAD_KIND_UNDER_PARENT = "bad_kind_under_parent"
    CODE_TAKEN = "code_taken"
    TREE_FULL = "tree_full"
    HAS_OPEN_MEMBERS = "has_open_members"
    HAS_ACTIVE_CHILDREN = "has_active_children"
    ALREADY_DISSOLVED = "already_dissolved"
    BAD_DATES = "bad_dates"
    USCC_TAKEN = "uscc_taken"
    COVERAGE_OVERLAP = "coverage_overlap"
    COVERAGE_KIND = "coverage_kind"
    POST_ALREADY_HELD = "post_already_held"
    INVALID = "invalid"
