"""Staff pages for selection, training and onboarding (mounted at staff/recruitment/opportunities/
by recruitment.contributions)."""

from django.urls import path

from recruitment.views import selection as views

app_name = "selection"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("<int:pk>/", views.opportunity_pipeline, name="pipeline"),
    path("<int:pk>/status/", views.opportunity_status, name="status"),
    path("<int:pk>/fix-shortlist/", views.shortlist_fix, name="fix_shortlist"),
    path("<int:pk>/not-selected/", views.turn_down_rest, name="turn_down_rest"),
    path("<int:pk>/ready/", views.ready, name="ready"),
    path("<int:pk>/ready/record/", views.ready_record, name="record_training"),
    path(
        "<int:pk>/applications/<int:application_pk>/",
        views.application_detail,
        name="application",
    ),
    path(
        "<int:pk>/applications/<int:application_pk>/score/",
        views.application_score,
        name="score",
    ),
    path(
        "<int:pk>/applications/<int:application_pk>/decide/",
        views.application_decide,
        name="decide",
    ),
    path(
        "<int:pk>/applications/<int:application_pk>/onboarding/",
        views.onboarding,
        name="onboarding",
    ),
]
