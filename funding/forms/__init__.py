from funding.forms.proposals import ProposalForm, WithdrawForm

__all__ = ["ProposalForm", "WithdrawForm"]

# Panel meetings ----------------------------------------------------------------------------------
from funding.forms.meetings import (
    AttendanceForm,
    AvailabilityForm,
    ClosePollForm,
    PollForm,
)

__all__ += ["AttendanceForm", "AvailabilityForm", "ClosePollForm", "PollForm"]
