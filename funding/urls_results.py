"""Staff pages for a call's results and decisions (mounted at staff/funding/results/ by
funding.contributions)."""

from django.urls import path

from funding.views import results as views

app_name = "funding_results"

urlpatterns = [
    path("", views.call_list, name="calls"),
    path("<int:call_id>/", views.call_results, name="call"),
    path("<int:call_id>/results.csv", views.results_csv, name="csv"),
    path("<int:call_id>/decide/", views.decide, name="decide"),
    path("<int:call_id>/proposals/<int:proposal_id>/decision/", views.decision, name="decision"),
]
