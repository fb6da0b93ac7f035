"""No personal data in log output: the redaction filter, and the configured handler in use."""

from __future__ import annotations

import io
import logging
import re
import sys

import pytest

from coprod.enums import Role
from coprod.logging import RedactPersonalDataFilter, redact
from tests.factories.core import make_user, sign_in

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def filtered(msg: str, *args: object, exc_info: object = None) -> logging.LogRecord:
    record = logging.LogRecord("coprod.test", logging.INFO, __file__, 1, msg, args, exc_info)
    RedactPersonalDataFilter().filter(record)
    return record


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sent to robin.two+panel@mail.example.co.uk", "Sent to [email]"),
        ("Call 07700 900123.", "Call [phone]."),
        ("Call +44 7700 900123 or +447700900123", "Call [phone] or [phone]"),
        ("Landline (020) 7946 0000", "Landline ([phone]"),
        ("Helpline 08000-121-700", "Helpline [phone]"),
    ],
    ids=["email", "mobile", "international", "landline", "dashes"],
)
def test_redact_removes_emails_and_phone_numbers(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Task coprod.core.deliver_notification[e98fa123-4567-8901-2345-678901234567] "
        "succeeded in 0.0012345678s: 'sent'",
        "Notification 4821 sent after 3 attempts",
    ],
    ids=["task-id-and-duration", "small-ids"],
)
def test_redact_keeps_ids_and_durations(text):
    assert redact(text) == text


def test_filter_redacts_the_formatted_message_and_drops_args():
    record = filtered("Password reset for %s (phone %s)", "robin@example.org", "07700 900123")

    assert record.getMessage() == "Password reset for [email] (phone [phone])"
    assert record.args is None


def test_filter_redacts_tracebacks():
    try:
        raise ValueError("Key (email)=(robin@example.org) already exists.")
    except ValueError:
        record = filtered("Could not save", exc_info=sys.exc_info())

    output = logging.Formatter().format(record)

    assert "robin@example.org" not in output
    assert "Key (email)=([email]) already exists." in output


@pytest.fixture
def configured_output():
    """What the handler configured in settings.LOGGING writes, captured."""
    (handler,) = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RedactPersonalDataFilter) for f in handler.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
def test_no_email_address_reaches_the_logs_during_sign_in_and_password_reset(
    client, caplog, configured_output, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    user = make_user(roles=[Role.PWLE])
    caplog.clear()

    sign_in(client, user.email, "not the right password")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": user.email})
    logging.getLogger("coprod.test").warning("Reset requested for %s", user.email)

    messages = [record.getMessage() for record in caplog.records]
    assert messages != []
    assert [message for message in messages if EMAIL.search(message)] == []
    assert EMAIL.search(configured_output.getvalue()) is None
    assert "Reset requested for [email]" in configured_output.getvalue()


def test_malformed_log_call_neither_breaks_the_caller_nor_leaks(configured_output, capsys):
    logging.getLogger("coprod.test").warning("Sent to %s and %s", "robin@example.org")

    output = configured_output.getvalue()
    assert "Sent to %s and %s (arguments that did not fit: ('[email]',))" in output
    assert "@" not in output + capsys.readouterr().err
