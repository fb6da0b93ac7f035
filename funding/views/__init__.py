"""Funding pages, one module per area."""

from funding.views import meetings
from funding.views.files import attachment, remove_attachment
from funding.views.proposals import (
    call_detail,
    call_list,
    proposal_detail,
    proposal_list,
    propose,
    withdraw,
)

__all__ = [
    "attachment",
    "call_detail",
    "call_list",
    "meetings",
    "proposal_detail",
    "proposal_list",
    "propose",
    "remove_attachment",
    "withdraw",
]
