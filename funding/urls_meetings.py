"""Portal pages of panel meetings (mounted at portal/funding/meetings/ by
funding.contributions)."""

from django.urls import path

from funding.views import meetings as views

app_name = "funding_meetings"

urlpatterns = [
    path("", views.poll_list, name="list"),
    path("<int:poll_id>/", views.poll, name="poll"),
    path("<int:poll_id>/meeting.ics", views.calendar, name="calendar"),
]
