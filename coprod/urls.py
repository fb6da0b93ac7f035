from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from coprod import doors
from coprod.views import public

# The admin signs in through allauth: the same rate limits, verification and MFA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "coprod administration"
admin.site.site_title = "coprod admin"

# allauth's rate limits (sign-in, sign-up, password reset) answer with this page.
handler429 = "coprod.views.public.too_many_requests"

urlpatterns = [
    path("", public.home, name="home"),
    path("healthz/", public.healthz, name="healthz"),
    path("exit/", public.exit_page, name="exit"),
    # Anyone may choose a language, before signing in too (the switcher shows once there are two).
    path("language/", login_not_required(set_language), name="set_language"),
    path("invitations/<str:token>/", public.accept_invitation_view, name="accept_invitation"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # Area apps' portal and staff pages, through their doors (coprod.doors.UrlInclude).
    *(path(item.prefix, include(item.module)) for item in doors.url_includes()),
    path("portal/", include("coprod.portal_urls")),
    path("staff/", include("coprod.staff_urls")),
]
