"""Permission-matrix entries: staff pages for claims (queue, approval, payment) and receipts."""
# Joined with the rest in permission_matrix.py.

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.matrix import Entry

ENTRIES: dict[str, Entry | list[Entry]] = {}
VISITORS: dict[str, Callable[[], Any]] = {}
