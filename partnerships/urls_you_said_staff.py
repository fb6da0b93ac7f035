"""Staff pages of "you said, we did" (mounted at staff/partnerships/you-said/ by
partnerships.contributions)."""

from django.urls import path

from partnerships.views import influence as views

app_name = "partnerships_you_said_staff"

urlpatterns = [
    path("", views.staff_you_said_all, name="all"),
    path("<int:partnership_id>/", views.staff_you_said_list, name="list"),
    path("<int:partnership_id>/new/", views.you_said_create, name="create"),
    path("<int:partnership_id>/<int:item_id>/edit/", views.you_said_edit, name="edit"),
    path("<int:partnership_id>/<int:item_id>/close/", views.you_said_close, name="close"),
]
