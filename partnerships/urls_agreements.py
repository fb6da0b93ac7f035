"""Staff pages of agreements (mounted at staff/partnerships/agreements/ by
partnerships.contributions)."""

from django.urls import path

from partnerships.views import agreements as views

app_name = "partnerships_agreements"

urlpatterns = [
    path("<int:partnership_id>/", views.agreement_list, name="list"),
    path("<int:partnership_id>/new/", views.agreement_create, name="create"),
    path("agreement/<int:agreement_id>/", views.agreement_edit, name="edit"),
    path("agreement/<int:agreement_id>/document/", views.agreement_document, name="document"),
    path("agreement/<int:agreement_id>/delete/", views.agreement_delete, name="delete"),
]
