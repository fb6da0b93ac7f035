"""Staff pages of the good-practice library (mounted at staff/library/ by
partnerships.contributions)."""

from django.urls import path

from partnerships.views import library_staff as views

app_name = "partnerships_library_staff"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("published/", views.published, name="published"),
    path("<int:resource_id>/", views.resource, name="resource"),
    path("<int:resource_id>/publish/", views.publish, name="publish"),
    path("<int:resource_id>/decline/", views.decline, name="decline"),
    path("<int:resource_id>/edit/", views.edit, name="edit"),
]
