"""Every write of the labour-relations domain, one module per sub-domain."""

from .assessment import (
    assessment_collect,
    assessment_report,
    assessment_sample,
    assessment_score,
    indicator_set_save,
)
from .bargaining import (
    campaign_create,
    contract_start_renewal,
    offer_agree,
    offer_answer,
    offer_create,
    offer_draft_contract,
    offer_record_round,
    offer_withdraw,
)
from .contracts import (
    contract_cancel,
    contract_check_fulfilment,
    contract_create,
    contract_file,
    contract_publish,
    contract_review,
    contract_sign,
    contract_take_effect,
    contract_terminate,
    contract_vote,
)
from .recognition import (
    csr_join,
    csr_rate,
    demo_site_designate,
    demo_site_withdraw,
    meeting_record,
)
from .register import contract_register, contract_register_remove, contract_register_update

__all__ = [
    "assessment_collect",
    "assessment_report",
    "assessment_sample",
    "assessment_score",
    "campaign_create",
    "contract_cancel",
    "contract_check_fulfilment",
    "contract_create",
    "contract_file",
    "contract_publish",
    "contract_register",
    "contract_register_remove",
    "contract_register_update",
    "contract_review",
    "contract_sign",
    "contract_start_renewal",
    "contract_take_effect",
    "contract_terminate",
    "contract_vote",
    "csr_join",
    "csr_rate",
    "demo_site_designate",
    "demo_site_withdraw",
    "indicator_set_save",
    "meeting_record",
    "offer_agree",
    "offer_answer",
    "offer_create",
    "offer_draft_contract",
    "offer_record_round",
    "offer_withdraw",
]
