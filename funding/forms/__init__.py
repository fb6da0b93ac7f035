from funding.forms.proposals import ProposalForm, WithdrawForm

__all__ = ["ProposalForm", "WithdrawForm"]
