"""Closing a panel's scoring window early (mounted at staff/funding/scoring/ through
funding.contributions)."""

from __future__ import annotations

from django.urls import path

from funding.views import scoring_window

app_name = "funding_scoring_window"
urlpatterns = [
    path("<int:panel_id>/close/", scoring_window.close, name="close"),
]
