from django.urls import path

from funding.views import review_staff

app_name = "funding_review_staff"

urlpatterns = [
    path("", review_staff.call_list, name="calls"),
    path("calls/<int:call_id>/", review_staff.call_detail, name="call"),
    path("<int:review_id>/reopen/", review_staff.reopen, name="reopen"),
    path("<int:review_id>/assisted/", review_staff.assisted, name="assisted"),
]
