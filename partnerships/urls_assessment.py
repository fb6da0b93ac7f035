"""Portal pages of the self-assessment (mounted at portal/partnerships/assessment/ by
partnerships.contributions)."""

from django.urls import path

from partnerships.views import assessment as views

app_name = "partnerships_assessment"

urlpatterns = [
    path("", views.to_answer, name="to_answer"),
    path("round/<int:round_id>/", views.answer, name="answer"),
    path("round/<int:round_id>/thank-you/", views.thanks, name="thanks"),
    path("<int:partnership_id>/results/", views.results, name="results"),
]
