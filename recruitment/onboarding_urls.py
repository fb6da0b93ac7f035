"""The portal's "Getting started" page (mounted at portal/getting-started/ by
recruitment.contributions)."""

from django.urls import path

from recruitment.views import onboarding as views

app_name = "onboarding"

urlpatterns = [
    path("", views.checklist, name="checklist"),
]
