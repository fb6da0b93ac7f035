"""The admin of partnerships' records, one module per area (each registers its own models).
Changes that carry rules (the ladder, closing "you said" items, publishing) go through the
staff pages and partnerships.services; the admin shows them read-only where it says so."""

from partnerships.admin import (
    influence,  # noqa: F401
    library,  # noqa: F401
    partnerships,  # noqa: F401
)
from partnerships.admin import meetings as meetings
