"""Staff pages for engagements and honoraria (the portal pages come in a later slice)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from coprod.models import london_today
from coprod.permissions import require
from recruitment.permissions import may_export_payments
from recruitment.services import export_payments


@require_http_methods(["GET"])
def payments_csv(request: HttpRequest) -> HttpResponse:
    require(request, may_export_payments(request.user))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"payments-{london_today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    export_payments(response, by=request.user)
    return response
