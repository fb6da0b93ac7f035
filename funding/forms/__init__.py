from funding.forms.decisions import DecisionForm
from funding.forms.meetings import AttendanceForm, AvailabilityForm, ClosePollForm, PollForm
from funding.forms.panels import (
    AddMemberForm,
    AssignForm,
    ConfirmForm,
    ConflictDecisionForm,
    DeclarationForm,
    MemberSearchForm,
    PanelSettingsForm,
    StartScoringForm,
)
from funding.forms.proposals import ProposalForm, WithdrawForm
from funding.forms.reviews import ReopenForm, ReviewForm, StepBackForm

__all__ = [
    "AddMemberForm",
    "AssignForm",
    "AttendanceForm",
    "AvailabilityForm",
    "ClosePollForm",
    "ConfirmForm",
    "ConflictDecisionForm",
    "DecisionForm",
    "DeclarationForm",
    "MemberSearchForm",
    "PanelSettingsForm",
    "PollForm",
    "ProposalForm",
    "ReopenForm",
    "ReviewForm",
    "StartScoringForm",
    "StepBackForm",
    "WithdrawForm",
]
