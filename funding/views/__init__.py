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

# Proposal files (the "files" slice) ----------------------------------------------------------
from funding.views.files import attachment, remove_attachment

__all__ += ["attachment", "remove_attachment"]
# Panel meetings (its URL modules import funding.views.meetings) --------------------------------
from funding.views import meetings  # noqa: E402

__all__ += ["meetings"]
