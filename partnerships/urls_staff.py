"""Staff pages of organisations and partnerships (mounted at staff/partnerships/ by
partnerships.contributions)."""

from django.urls import path

from partnerships.views import partnerships_staff as views

app_name = "partnerships_staff"

urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("new/", views.partnership_create, name="create"),
    path("<int:partnership_id>/", views.partnership_detail, name="partnership"),
    path("<int:partnership_id>/edit/", views.partnership_edit, name="edit"),
    path("<int:partnership_id>/ladder/", views.level_change, name="change_level"),
    path("<int:partnership_id>/members/add/", views.member_add, name="add_member"),
    path(
        "<int:partnership_id>/members/<int:member_id>/end/",
        views.membership_end,
        name="end_membership",
    ),
    path("organisations/", views.organisation_list_page, name="organisations"),
    path("organisations/new/", views.organisation_create, name="create_organisation"),
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    path(
        "organisations/<int:organisation_id>/edit/",
        views.organisation_edit,
        name="edit_organisation",
    ),
    path(
        "organisations/<int:organisation_id>/practitioners/add/",
        views.practitioner_add,
        name="add_practitioner",
    ),
    path(
        "organisations/<int:organisation_id>/practitioners/<int:link_id>/remove/",
        views.practitioner_remove,
        name="remove_practitioner",
    ),
]
