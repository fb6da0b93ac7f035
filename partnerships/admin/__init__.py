"""The admin of partnerships' records, one module per area (each registers its own models).
Changes that carry rules (the ladder, closing "you said" items, publishing) go through the
staff pages and partnerships.services; the admin shows them read-only where it says so."""

from partnerships.admin import library  # noqa: F401
