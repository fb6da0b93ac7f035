"""This app's part of erasing a person (coprod.services.rights.erase_person)."""

from __future__ import annotations

from django.db import transaction

from coprod.audit import Actor
from coprod.models import Person
from partnerships.enums import ResourceStatus
from partnerships.models import (
    Agreement,
    AssessmentParticipation,
    AssessmentRound,
    Barrier,
    Decision,
    LevelChange,
    Meeting,
    MeetingInvitation,
    OrganisationPractitioner,
    Partnership,
    PartnershipMember,
    Resource,
    ResourceContributor,
    YouSaidItem,
    partnership_file_storage,
)


def erase_partnership_records(person: Person, *, by: Actor) -> None:
    """Inside erase_person's transaction.

    - Their memberships go, with their meeting invitations and attendance (the payments for it
      are recruitment's engagements, kept by recruitment's own rules), and so do their links as
      a practitioner of an organisation and as a credited contributor.
    - What they said ("you said, we did") loses its link to them; the words themselves are
      emptied unless they agreed that they may stay (`keep_words`), and then the item is shown
      as anonymous. The centre's response and what changed stay.
    - Resources they proposed that were never published are deleted (their files after commit);
      published ones stay, without the link to them.
    - Which self-assessment rounds they answered is deleted; the answers (ratings and comments),
      never linked to them, stay in the results: nothing can find them to delete, which is the
      point. That is why the answer form asks people not to write their name or anything that
      could identify them in a comment.
    - Links to their login as staff (who recorded, created, published, closed) are emptied. A
      partnership they lead keeps its lead (their emptied login) until staff name another.

    Side effects: deletes PartnershipMembers (with their MeetingInvitations),
    OrganisationPractitioners, ResourceContributors, AssessmentParticipations and unpublished
    Resources; updates the rest."""
    unpublished = Resource.objects.filter(proposed_by=person).exclude(
        status=ResourceStatus.PUBLISHED
    )
    names = [name for name in unpublished.values_list("file", flat=True) if name]
    unpublished.delete()

    def remove_files() -> None:
        for name in names:
            partnership_file_storage.delete(name)

    transaction.on_commit(remove_files)
    Resource.objects.filter(proposed_by=person).update(proposed_by=None)
    ResourceContributor.objects.filter(person=person).delete()
    YouSaidItem.objects.filter(given_by=person, keep_words=True).update(
        given_by=None, anonymous=True
    )
    YouSaidItem.objects.filter(given_by=person).update(given_by=None, said="", anonymous=True)
    MeetingInvitation.objects.filter(member__person=person).delete()
    PartnershipMember.objects.filter(person=person).delete()
    OrganisationPractitioner.objects.filter(person=person).delete()
    AssessmentParticipation.objects.filter(person=person).delete()

    staff = {"__person": person}
    for model, field in (
        (Partnership, "created_by"),
        (PartnershipMember, "added_by"),
        (LevelChange, "recorded_by"),
        (Agreement, "created_by"),
        (Meeting, "created_by"),
        (MeetingInvitation, "recorded_by"),
        (Decision, "recorded_by"),
        (Barrier, "recorded_by"),
        (YouSaidItem, "closed_by"),
        (YouSaidItem, "recorded_by"),
        (Resource, "published_by"),
        (AssessmentRound, "opened_by"),
        (AssessmentRound, "closed_by"),
    ):
        model.objects.filter(**{f"{field}{key}": value for key, value in staff.items()}).update(
            **{field: None}
        )
