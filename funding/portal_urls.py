from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("", views.call_list, name="calls"),
    path("<int:call_id>/", views.call_detail, name="call"),
    path("<int:call_id>/propose/", views.propose, name="propose"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:proposal_id>/withdraw/", views.withdraw, name="withdraw"),
    path("files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("files/<int:attachment_id>/remove/", views.remove_attachment, name="remove_attachment"),
]
