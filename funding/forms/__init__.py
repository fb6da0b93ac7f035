from funding.forms.proposals import ProposalForm, WithdrawForm

# Scoring online (reviews).
from funding.forms.reviews import ReopenForm, ReviewForm, StepBackForm

__all__ = ["ProposalForm", "WithdrawForm"]
__all__ += ["ReopenForm", "ReviewForm", "StepBackForm"]

# Panel meetings ----------------------------------------------------------------------------------
from funding.forms.meetings import (  # noqa: E402
    AttendanceForm,
    AvailabilityForm,
    ClosePollForm,
    PollForm,
)

__all__ += ["AttendanceForm", "AvailabilityForm", "ClosePollForm", "PollForm"]
