"""The security-event logger refuses anything that could be personal data."""

import logging

import pytest

from coprod.security import log_security_event


@pytest.mark.parametrize(
    "detail",
    ["robin@example.org", "Robin Smith", "x" * 81],
    ids=["email", "name-with-space", "too-long"],
)
def test_security_event_refuses_free_text_details(caplog, detail):
    with pytest.raises(ValueError, match="never free text"):
        log_security_event("access", outcome="refused", user_id=1, view=detail)

    assert caplog.records == []


def test_security_event_logs_ids_and_codes_on_one_line(caplog):
    caplog.set_level(logging.INFO, logger="coprod.security")

    log_security_event("access", outcome="refused", user_id=7, view="staff:home", person=None)

    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", "security event=access outcome=refused user=7 person=- view=staff:home")
    ]
