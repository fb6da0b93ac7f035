from funding.forms.proposals import ProposalForm, WithdrawForm

__all__ = ["ProposalForm", "WithdrawForm"]

# Panels, conflicts and assignment (helper "panels") ----------------------------------------------
from funding.forms.panels import (
    AddMemberForm,
    AssignForm,
    ConfirmForm,
    DecisionForm,
    DeclarationForm,
    MemberSearchForm,
    PanelSettingsForm,
    StartScoringForm,
)

__all__ += [
    "AddMemberForm",
    "AssignForm",
    "ConfirmForm",
    "DecisionForm",
    "DeclarationForm",
    "MemberSearchForm",
    "PanelSettingsForm",
    "StartScoringForm",
]
