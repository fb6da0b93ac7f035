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

# Results and decisions (funding.views.results): imported by funding.urls_results and
# funding.urls_chair_results from their module.
