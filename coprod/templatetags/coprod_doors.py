"""Template tags that read the doors (coprod.doors): the portal's navigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse

from coprod import doors

register = template.Library()


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


@register.simple_tag(takes_context=True)
def portal_navigation(context: dict[str, Any]) -> list[NavItem]:
    """Every app's portal links (coprod.doors.PortalLink) the visitor may see, in order."""
    request = context["request"]
    items = []
    for link in doors.portal_links():
        if link.visible is not None and not link.visible(request):
            continue
        url = reverse(link.url_name)
        items.append(NavItem(str(link.label), url, request.path == url))
    return items
