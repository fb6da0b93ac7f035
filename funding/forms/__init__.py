from funding.forms.proposals import ProposalForm, WithdrawForm

__all__ = ["ProposalForm", "WithdrawForm"]

# Results and decisions (funding.forms.decisions) --------------------------------------------------
from funding.forms.decisions import DecisionForm

__all__ += ["DecisionForm"]
