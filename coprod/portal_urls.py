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
]
