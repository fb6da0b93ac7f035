"""The good-practice library in the portal (mounted at portal/library/ by
partnerships.contributions)."""

from django.urls import path

from partnerships.views import library as views

app_name = "partnerships_library"

urlpatterns = [
    path("", views.library, name="library"),
    path("propose/", views.propose, name="propose"),
    path("yours/", views.proposals, name="proposals"),
    path("credit/<int:contribution_id>/", views.credit, name="credit"),
    path("<int:resource_id>/", views.resource, name="resource"),
    path("<int:resource_id>/file/", views.resource_file, name="file"),
]
