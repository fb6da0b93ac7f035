from django.urls import path

from coprod.views import portal

app_name = "portal"

urlpatterns = [
    path("", portal.home, name="home"),
    path("profile/", portal.profile, name="profile"),
    path("contact/", portal.contact, name="contact"),
    path("consents/", portal.consents, name="consents"),
    path("consents/<slug:purpose>/", portal.consent, name="consent"),
    path("involvement/", portal.involvement, name="involvement"),
    path("messages/", portal.message_list, name="messages"),
    path("support/", portal.support, name="support"),
    path("my-information/", portal.my_data, name="my_data"),
    path("my-information/download/", portal.my_data_download, name="my_data_download"),
    path("leave/", portal.leave, name="leave"),
    path("leave/confirm/", portal.leave_confirm, name="leave_confirm"),
    path("leave/cancel/", portal.erasure_cancel, name="erasure_cancel"),
]
