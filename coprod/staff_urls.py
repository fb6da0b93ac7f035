from django.urls import path

from coprod.views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.home, name="home"),
    path("invitations/", staff.invitation_list, name="invitations"),
    path("invitations/new/", staff.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/", staff.invitation_detail, name="invitation_detail"),
    path("invitations/<int:pk>/new-link/", staff.invitation_new_link, name="invitation_new_link"),
    path("invitations/<int:pk>/cancel/", staff.invitation_revoke, name="invitation_revoke"),
    path("messages/held/", staff.held_messages, name="held_messages"),
    path("messages/<int:pk>/handle/", staff.message_handle, name="message_handle"),
    path("erasure/", staff.erasure_requests, name="erasure_requests"),
    path("erasure/<int:pk>/", staff.erasure_request, name="erasure_request"),
]
