"""Staff pages of partnership meetings (mounted at staff/partnerships/meetings/ by
partnerships.contributions)."""

from django.urls import path

from partnerships.views import meetings as views

app_name = "partnerships_meetings_staff"

urlpatterns = [
    path("<int:partnership_id>/", views.staff_meeting_list, name="list"),
    path("<int:partnership_id>/new/", views.staff_meeting_create, name="create"),
    path("meeting/<int:meeting_id>/", views.staff_meeting_edit, name="edit"),
    path("meeting/<int:meeting_id>/invite/", views.staff_meeting_invite, name="invite"),
    path("meeting/<int:meeting_id>/cancel/", views.staff_meeting_cancel, name="cancel"),
    path("meeting/<int:meeting_id>/attendance/", views.staff_attendance, name="attendance"),
]
