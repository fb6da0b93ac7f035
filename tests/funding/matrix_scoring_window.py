"""Closing a panel's scoring window early in the permission matrix (joined into
tests/funding/permission_matrix.py): funding staff only; participants, panel members and other
staff are refused (403) and the window stays open."""

from __future__ import annotations

from typing import Any

from funding.models import Panel
from tests.funding.matrix_panels import STAFF_WRITE, panel
from tests.matrix import Entry


def scoring_state(kwargs: dict[str, Any]) -> Any:
    return Panel.objects.filter(pk=kwargs["panel_id"]).values_list(
        "scoring_closed_at", "scoring_deadline", "scoring_started_at"
    )[0]


ENTRIES: dict[str, Entry | list[Entry]] = {
    "funding_scoring_window:close": Entry(
        STAFF_WRITE, build=panel("open"), method="post", snapshot=scoring_state
    ),
}
