"""Keep personal data out of log output.

Code must not log personal data in the first place (log ids, not names or addresses). This filter is
the second line: it removes email addresses and phone-like numbers from every record that reaches a
handler, including third-party libraries' messages.
"""

from __future__ import annotations

import logging
import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Not part of a longer token: task ids (UUIDs) and durations like 0.0012345678s are not phones.
_PHONE = re.compile(r"(?<![\w.-])\+?\d[\d ()-]{8,}\d(?![\w-]|\.\d)")


def redact(text: str) -> str:
    return _PHONE.sub("[phone]", _EMAIL.sub("[email]", text))


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # A bad log call must not break the request, nor leak: logging would print its
            # arguments to stderr unfiltered. Keep them, redacted, in a message that formats.
            record.msg = redact(f"{record.msg} (arguments that did not fit: {record.args!r})")
            record.args = None
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        # Tracebacks carry exception messages (e.g. a database error naming the duplicate email).
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
