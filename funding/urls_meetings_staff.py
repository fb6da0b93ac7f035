"""Staff pages of panel meetings (mounted at staff/funding/meetings/ by
funding.contributions)."""

from django.urls import path

from funding.views import meetings as views

app_name = "funding_meetings_staff"

urlpatterns = [
    path("", views.staff_poll_list, name="list"),
    path("new/", views.staff_poll_create, name="create"),
    path("<int:poll_id>/", views.staff_poll, name="poll"),
    path("<int:poll_id>/close/", views.staff_poll_close, name="close"),
    path("<int:poll_id>/attendance/", views.staff_attendance, name="attendance"),
]
