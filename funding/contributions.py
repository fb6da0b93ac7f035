"""What funding brings through the core's doors (coprod.doors)."""

from __future__ import annotations

from coprod.doors import AppDoors, PersonalData
from funding.models import Call, Proposal
from funding.selectors import funding_personal_data
from funding.services import erase_funding_records

DOORS = AppDoors(
    personal_data=PersonalData(
        models=(Call, Proposal),
        export=funding_personal_data,
        erase=erase_funding_records,
    ),
)
