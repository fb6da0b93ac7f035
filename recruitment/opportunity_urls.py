from django.urls import path

from recruitment.views import opportunities as views

app_name = "opportunities"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("<int:opportunity_id>/", views.opportunity_detail, name="detail"),
    path("<int:opportunity_id>/apply/", views.apply, name="apply"),
    path("<int:opportunity_id>/refer/", views.refer, name="refer"),
    path("applications/", views.application_list, name="applications"),
    path("applications/<int:application_id>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:application_id>/offer/", views.offer, name="offer"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<int:application_id>/", views.referral, name="referral"),
]
