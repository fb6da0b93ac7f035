"""Staff pages of the self-assessment (mounted at staff/partnerships/assessment/ by
partnerships.contributions)."""

from django.urls import path

from partnerships.views import assessment as views

app_name = "partnerships_assessment_staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("<int:partnership_id>/", views.staff_rounds, name="rounds"),
    path("<int:partnership_id>/open/", views.staff_open, name="open"),
    path("round/<int:round_id>/", views.staff_round, name="round"),
    path("round/<int:round_id>/close/", views.staff_close, name="close"),
]
