"""Staff pages for building panels, deciding conflicts and assigning reviewers
(mounted at staff/funding/panels/ through funding.contributions)."""

from django.urls import path

from funding.views import panels as views

app_name = "funding_panels"

urlpatterns = [
    path("", views.panel_list, name="list"),
    path("calls/<int:call_id>/new/", views.panel_create, name="create"),
    path("<int:panel_id>/", views.panel_detail, name="panel"),
    path("<int:panel_id>/settings/", views.panel_settings, name="settings"),
    path("<int:panel_id>/start/", views.panel_start, name="start"),
    path("<int:panel_id>/members/add/", views.member_add, name="add_member"),
    path("<int:panel_id>/members/<int:member_id>/chair/", views.member_chair, name="chair"),
    path("<int:panel_id>/members/<int:member_id>/remove/", views.member_remove, name="remove"),
    path(
        "<int:panel_id>/members/<int:member_id>/declare/",
        views.member_declare,
        name="declare_for",
    ),
    path("<int:panel_id>/conflicts/", views.conflict_list, name="conflicts"),
    path(
        "<int:panel_id>/conflicts/<int:declaration_id>/",
        views.conflict_decide,
        name="decide",
    ),
    path("<int:panel_id>/assignments/", views.assignments, name="assignments"),
    path("<int:panel_id>/assignments/add/", views.assign, name="assign"),
    path("<int:panel_id>/assignments/auto/", views.assign_auto, name="assign_auto"),
    path(
        "<int:panel_id>/assignments/<int:review_id>/remove/",
        views.unassign,
        name="unassign",
    ),
]
