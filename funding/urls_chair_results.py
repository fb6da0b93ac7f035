"""The chair's view of their call's results, in the portal (mounted at portal/funding/results/ by
funding.contributions)."""

from django.urls import path

from funding.views import results as views

app_name = "funding_chair_results"

urlpatterns = [
    path("", views.chair_calls, name="calls"),
    path("<int:call_id>/", views.chair_call_results, name="call"),
]
