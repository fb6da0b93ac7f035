"""Files sent with an outbox message (calendar invitations): kept in the encrypted content, each
variant with its own version, attached when the message is delivered."""

import pytest

from coprod.services.notifications import (
    Attachment,
    Outgoing,
    queue_notification,
    queue_notifications,
)
from tests.factories.core import backdate_consent_texts, make_reachable_person

pytestmark = pytest.mark.django_db

INVITE = Attachment(
    filename="meeting.ics",
    content_type="text/calendar",
    full="BEGIN:VCALENDAR\r\nSUMMARY:Full title\r\nEND:VCALENDAR\r\n",
    neutral="BEGIN:VCALENDAR\r\nSUMMARY:Meeting\r\nEND:VCALENDAR\r\n",
)


@pytest.fixture(autouse=True)
def _consent_texts_published_long_ago(db):
    backdate_consent_texts()


def attached(mailoutbox):
    return [(message.to, message.attachments) for message in mailoutbox]


def test_queue_notification_attaches_the_neutral_file_to_a_neutral_message(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = make_reachable_person(email="sam@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        notification = queue_notification(
            person, kind="test_message", key="k1", context={}, attachments=[INVITE]
        )

    assert attached(mailoutbox) == [
        (["sam@example.org"], [("meeting.ics", INVITE.neutral, "text/calendar")])
    ]
    assert notification.content["full"]["attachments"] == [
        {"filename": "meeting.ics", "content_type": "text/calendar", "text": INVITE.full}
    ]


def test_queue_notifications_attaches_the_full_file_to_a_full_detail_message(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = make_reachable_person(email="sam@example.org", message_detail="full")

    with django_capture_on_commit_callbacks(execute=True):
        queue_notifications(
            [Outgoing(person_id=person.pk, kind="test_message", key="k1", attachments=[INVITE])]
        )

    assert attached(mailoutbox) == [
        (["sam@example.org"], [("meeting.ics", INVITE.full, "text/calendar")])
    ]


def test_a_message_without_attachments_is_sent_without_any(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = make_reachable_person(email="sam@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        notification = queue_notification(person, kind="test_message", key="k1", context={})

    assert attached(mailoutbox) == [(["sam@example.org"], [])]
    assert "attachments" not in notification.content["neutral"]
