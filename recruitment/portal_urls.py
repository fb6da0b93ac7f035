from django.urls import path

from recruitment.views import paid_work as views

app_name = "paid_work"

urlpatterns = [
    path("", views.paid_work, name="list"),
    path("<int:engagement_id>/claim/", views.claim, name="claim"),
    path("receipts/<int:pk>/", views.receipt, name="receipt"),
]
