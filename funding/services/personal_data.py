"""This app's part of erasing a person (coprod.services.rights.erase_person)."""

from __future__ import annotations

from django.db import transaction

from coprod.audit import Actor
from coprod.models import Person
from funding.models import (
    Call,
    ConflictDeclaration,
    Decision,
    MeetingAttendance,
    MeetingPoll,
    Panel,
    PanelMember,
    Proposal,
    ProposalAttachment,
    Review,
    Score,
    SlotAnswer,
    proposal_file_storage,
)


def erase_funding_records(person: Person, *, by: Actor) -> None:
    """Inside erase_person's transaction.

    - Their proposals are deleted, drafts and sent ones alike, with their files (from disk too)
      and the reviews and decision resting on them: a proposal's content (team, summary) would
      say who wrote it even without the link to them.
    - As a panel member, their scores are kept (the panel's results rest on them) but the seat
      loses the link to them: it becomes "a former member" with the same seat. Everything they
      wrote in their own words (conflict descriptions, review notes, feedback, score comments)
      is emptied, and so is what others wrote about them (the reasons given for decisions on
      their conflicts and for reopening their reviews); their meeting availability is deleted.
    - Links to their login as staff (who created, checked, decided, assigned) are emptied.

    Side effects: deletes Proposals (with their ProposalAttachments) and SlotAnswers; deletes
    their files after commit; updates the rest (audited, masked)."""
    # The rows go now, the files once the erasure commits (if it rolls back, both stay).
    names = list(
        ProposalAttachment.objects.filter(proposal__applicant=person).values_list("file", flat=True)
    )
    for proposal in Proposal.objects.filter(applicant=person):
        proposal.delete()

    def remove_files() -> None:
        for name in names:
            proposal_file_storage.delete(name)

    transaction.on_commit(remove_files)
    seats = PanelMember.objects.filter(person=person)
    # The reason the chair or staff gave for their conflict is about them too.
    ConflictDeclaration.objects.filter(member__in=seats).update(description="", decision_reason="")
    Score.objects.filter(review__member__in=seats).update(comment="")
    Review.objects.filter(member__in=seats).update(comment="", feedback="", reopen_reason="")
    SlotAnswer.objects.filter(member__in=seats).delete()
    seats.update(person=None)

    Proposal.objects.filter(eligibility_checked_by__person=person).update(
        eligibility_checked_by=None
    )
    Call.objects.filter(created_by__person=person).update(created_by=None)
    Panel.objects.filter(overridden_by__person=person).update(overridden_by=None)
    Panel.objects.filter(scoring_started_by__person=person).update(scoring_started_by=None)
    PanelMember.objects.filter(added_by__person=person).update(added_by=None)
    ConflictDeclaration.objects.filter(decided_by__person=person).update(decided_by=None)
    Review.objects.filter(assigned_by__person=person).update(assigned_by=None)
    Review.objects.filter(assisted_by__person=person).update(assisted_by=None)
    Review.objects.filter(reopened_by__person=person).update(reopened_by=None)
    Decision.objects.filter(decided_by__person=person).update(decided_by=None)
    MeetingPoll.objects.filter(closed_by__person=person).update(closed_by=None)
    MeetingPoll.objects.filter(created_by__person=person).update(created_by=None)
    MeetingAttendance.objects.filter(recorded_by__person=person).update(recorded_by=None)
