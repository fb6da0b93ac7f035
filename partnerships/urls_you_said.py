"""Portal pages of "you said, we did", for a partnership's members (mounted at
portal/partnerships/you-said/ by partnerships.contributions)."""

from django.urls import path

from partnerships.views import influence as views

app_name = "partnerships_you_said"

urlpatterns = [
    path("<int:partnership_id>/", views.member_you_said, name="list"),
]
