"""Portal pages for panel members: their seats, the confidentiality terms, declaring conflicts,
and the chair's decisions (mounted at portal/funding/panel/ through funding.contributions)."""

from django.urls import path

from funding.views import panel_portal as views

app_name = "funding_panel"

urlpatterns = [
    path("", views.seat_list, name="seats"),
    path("<int:member_id>/", views.seat_detail, name="seat"),
    path("<int:member_id>/declare/", views.declare, name="declare"),
    path("<int:member_id>/conflicts/", views.chair_conflicts, name="conflicts"),
    path(
        "<int:member_id>/conflicts/<int:declaration_id>/",
        views.chair_decide,
        name="decide",
    ),
]
