"""Portal pages of a partnership's decision log, for its members (mounted at
portal/partnerships/decisions/ by partnerships.contributions)."""

from django.urls import path

from partnerships.views import influence as views

app_name = "partnerships_decisions"

urlpatterns = [
    path("<int:partnership_id>/", views.member_decisions, name="list"),
]
