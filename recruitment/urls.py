from django.urls import path

from recruitment.views import paid_work as views

app_name = "recruitment"

urlpatterns = [
    path("payments.csv", views.payments_csv, name="payments_csv"),
]
