"""Staff close a panel's scoring window before its deadline: one button on the panel's page.

For staff who may manage panels (403 for anyone else); the panel comes from `panels_for_user`
(404 for what does not exist for the visitor); the write is `close_scoring`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coprod.permissions import get_object_for_user, require
from funding.permissions import may_manage_panels
from funding.selectors import panels_for_user
from funding.services import close_scoring


@require_POST
def close(request: HttpRequest, panel_id: int) -> HttpResponse:
    require(request, may_manage_panels(request.user))
    panel = get_object_for_user(request, panels_for_user, pk=panel_id)
    try:
        close_scoring(panel, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Scoring is closed. Members can no longer change their reviews.")
        )
    return redirect("funding_panels:panel", panel_id=panel.pk)
