from funding.forms.decisions import DecisionForm
from funding.forms.meetings import AttendanceForm, AvailabilityForm, ClosePollForm, PollForm
from funding.forms.proposals import ProposalForm, WithdrawForm
from funding.forms.reviews import ReopenForm, ReviewForm, StepBackForm

__all__ = [
    "AttendanceForm",
    "AvailabilityForm",
    "ClosePollForm",
    "DecisionForm",
    "PollForm",
    "ProposalForm",
    "ReopenForm",
    "ReviewForm",
    "StepBackForm",
    "WithdrawForm",
]
