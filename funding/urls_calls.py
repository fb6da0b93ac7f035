"""Staff pages for funding calls (mounted at staff/funding/calls/ by funding.contributions)."""

from django.urls import path

from funding.views import staff_calls as views

app_name = "funding_calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("<int:call_id>/", views.call_detail, name="call"),
]
