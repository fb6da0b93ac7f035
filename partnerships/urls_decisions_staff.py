"""Staff pages of a partnership's decision log (mounted at staff/partnerships/decisions/ by
partnerships.contributions)."""

from django.urls import path

from partnerships.views import influence as views

app_name = "partnerships_decisions_staff"

urlpatterns = [
    path("<int:partnership_id>/", views.staff_decisions, name="list"),
    path("<int:partnership_id>/new/", views.decision_create, name="create"),
    path("<int:partnership_id>/<int:decision_id>/edit/", views.decision_edit, name="edit"),
    path(
        "<int:partnership_id>/<int:decision_id>/resolve/",
        views.decision_resolve,
        name="resolve",
    ),
]
