"""Template helpers for our overrides of crispy-forms-gds's radios and checkboxes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()


@dataclass(frozen=True)
class ChoiceItem:
    value: str
    label: Any
    hint: Any
    divider: Any
    checked: bool


@register.filter
def choice_items(field: BoundField) -> list[ChoiceItem]:
    """The field's choices, each with whether it is selected, worked out once in Python: in the
    template each lookup that fails (a hint on a plain tuple) or each filter per choice costs more
    than the markup (docs/performance.md). Choices may be tuples or crispy-forms-gds `Choice`s."""
    current = field.value()
    if isinstance(current, list | tuple | set):
        selected = {str(value) for value in current}
    else:
        selected = {"" if current is None else str(current)}
    items = []
    for choice in field.field.choices:
        value, label = choice[0], choice[1]
        items.append(
            ChoiceItem(
                value=str(value),
                label=label,
                hint=getattr(choice, "hint", None),
                divider=getattr(choice, "divider", None),
                checked=str(value) in selected,
            )
        )
    return items
