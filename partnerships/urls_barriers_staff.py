"""Staff pages of a partnership's barriers (mounted at staff/partnerships/barriers/ by
partnerships.contributions)."""

from django.urls import path

from partnerships.views import influence as views

app_name = "partnerships_barriers_staff"

urlpatterns = [
    path("<int:partnership_id>/", views.staff_barriers, name="list"),
    path("<int:partnership_id>/new/", views.barrier_create, name="create"),
    path("<int:partnership_id>/<int:barrier_id>/edit/", views.barrier_edit, name="edit"),
    path(
        "<int:partnership_id>/<int:barrier_id>/dealt-with/",
        views.barrier_dealt_with,
        name="dealt_with",
    ),
]
