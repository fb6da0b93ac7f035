"""Portal pages of partnerships (mounted at portal/partnerships/ by partnerships.contributions)."""

from django.urls import path

from partnerships.views import partnerships_portal as views

app_name = "partnerships_portal"

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("<int:partnership_id>/", views.partnership_detail, name="partnership"),
]
