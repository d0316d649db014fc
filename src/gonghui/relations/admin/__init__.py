"""The back office of the labour-relations domain, one module per sub-domain."""

from . import assessment, bargaining, contracts, recognition  # noqa: F401 - registers them
