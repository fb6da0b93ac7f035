"""What the core itself brings through the doors (coprod.doors), as every area app does."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coprod import demo
from coprod.doors import (
    AppDoors,
    Crontab,
    DemoData,
    Periodic,
    PersonalData,
    PortalLink,
    StaffLink,
    ThingToDo,
)
from coprod.enums import ConsentPurpose
from coprod.models import (
    ConsentRecord,
    ErasureRequest,
    FormDraft,
    Invitation,
    Notification,
    Person,
    RoleGrant,
    SafeContactPreferences,
    User,
)
from coprod.selectors import (
    consent_outdated,
    contact_needs_confirming,
    core_personal_data,
    erasure_request_count,
    held_message_count,
)
from coprod.services.rights import erase_core_records

PEOPLE = _("People and messages")


def _consent_to_review(purpose: ConsentPurpose, order: int) -> ThingToDo:
    return ThingToDo(
        key=f"consent_{purpose.value}",
        count=lambda: consent_outdated(purpose),
        text=lambda _value: _("Read the new version of “%(title)s”") % {"title": purpose.label},
        url_name="portal:consent",
        url_kwargs={"purpose": purpose.value},
        order=order,
    )


DOORS = AppDoors(
    things_to_do=[
        ThingToDo(
            key="confirm_contact",
            count=contact_needs_confirming,
            text=lambda _value: _("Check how we can contact you safely"),
            url_name="portal:contact",
            order=10,
        ),
        *(
            _consent_to_review(purpose, order=20 + index)
            for index, purpose in enumerate(ConsentPurpose)
        ),
        ThingToDo(
            key="held_messages",
            count=held_message_count,
            text=lambda count: (
                ngettext(
                    "You have %(count)s message we have not sent you",
                    "You have %(count)s messages we have not sent you",
                    count,
                )
                % {"count": count}
            ),
            url_name="portal:messages",
            order=30,
        ),
    ],
    portal_links=[
        PortalLink(_("Home"), "portal:home", order=0),
        PortalLink(_("My profile"), "portal:profile", order=10),
        PortalLink(_("Contact"), "portal:contact", order=20),
        PortalLink(_("Consent"), "portal:consents", order=30),
    ],
    staff_links=[
        StaffLink(
            _("Invite someone"), "staff:invitation_create", ("coprod.add_invitation",), PEOPLE, 10
        ),
        StaffLink(_("Invitations"), "staff:invitations", ("coprod.view_invitation",), PEOPLE, 20),
        StaffLink(
            _("Messages we could not send"),
            "staff:held_messages",
            ("coprod.view_notification", "coprod.change_notification"),
            PEOPLE,
            30,
        ),
        StaffLink(
            _("Requests to delete information"),
            "staff:erasure_requests",
            ("coprod.view_erasurerequest",),
            PEOPLE,
            40,
            count=erasure_request_count,
        ),
    ],
    periodic_tasks=[
        Periodic(
            "Send due messages",
            "coprod.core.dispatch_due_notifications",
            every=timedelta(minutes=1),
        ),
        Periodic(
            "Delete stale form drafts",
            "coprod.core.delete_stale_drafts",
            crontab=Crontab(minute="15", hour="3"),
        ),
        Periodic(
            "Delete old account emails to unknown addresses",
            "coprod.core.delete_old_unlinked_account_emails",
            crontab=Crontab(minute="25", hour="3"),
        ),
    ],
    demo_data=DemoData(seed=demo.seed),
    personal_data=PersonalData(
        models=(
            Person,
            User,
            RoleGrant,
            ConsentRecord,
            SafeContactPreferences,
            Invitation,
            Notification,
            FormDraft,
            ErasureRequest,
        ),
        export=core_personal_data,
        erase=erase_core_records,
        retained={
            Person: "Anonymised, with a new random reference: records other apps must keep "
            "(payments made) point at it.",
            User: "Emptied and unusable: audit rows name it as the actor of past changes, and "
            "the audit table cannot be changed.",
            ErasureRequest: "The record that the person asked and that it was done, with "
            "nothing personal in it.",
        },
    ),
)
