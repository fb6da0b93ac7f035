"""Portal pages of partnership meetings (mounted at portal/partnerships/meetings/ by
partnerships.contributions)."""

from django.urls import path

from partnerships.views import meetings as views

app_name = "partnerships_meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:meeting_id>/meeting.ics", views.calendar, name="calendar"),
]
