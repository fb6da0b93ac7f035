"""Funding pages, one module per area."""

from funding.views.proposals import (
    call_detail,
    call_list,
    proposal_detail,
    proposal_list,
    propose,
    withdraw,
)

__all__ = ["call_detail", "call_list", "proposal_detail", "proposal_list", "propose", "withdraw"]

# Panel meetings (its URL modules import funding.views.meetings) --------------------------------
from funding.views import meetings

__all__ += ["meetings"]
